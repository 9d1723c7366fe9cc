package io.rivulet.core.internal.memory;

import io.rivulet.core.Message;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The stored entries of one in-memory topic: ready ones by priority, delayed ones by due time, and
 * delivered ones in flight. Plain data structures, not thread-safe: every method must be called
 * under the owning {@link MemoryTopic}'s monitor, which also orders them with the topic's timers.
 *
 * <p>At most {@code heapBacklog} ready entries are kept as objects. Beyond that, ready entries are
 * appended serialized to an {@link OffHeapLog} of their priority, behind the ones on the heap, and
 * read back when their turn comes: the heap a backlog takes is bounded, whatever its length.
 */
final class TopicStore {

    private static final Comparator<MemoryDelivery> BY_DUE =
            Comparator.<MemoryDelivery>comparingLong(e -> e.dueAt).thenComparingLong(e -> e.seq);

    @SuppressWarnings("unchecked")
    private final ArrayDeque<MemoryDelivery>[] ready = new ArrayDeque[Message.MAX_PRIORITY + 1];
    // Per priority, the ready entries after those in ready[p], serialized; created when first needed.
    private final OffHeapLog[] spilled = new OffHeapLog[Message.MAX_PRIORITY + 1];
    private final EntryCodec codec;
    private final int heapBacklog;
    private int readyCount;
    // Ready entries held as objects (in the ready deques), at most heapBacklog but for given-back ones.
    private int heapReadyCount;
    // Bit p set while ready[p] or spilled[p] is not empty: taking finds the highest priority without polling
    // ten deques per delivery.
    private int readyPriorities;
    private final PriorityQueue<MemoryDelivery> delayed = new PriorityQueue<>(BY_DUE);
    // Filing order, the tie-break between delayed entries due at the same time.
    private long seq;
    // In-flight deliveries in delivery order, which is also deadline order (the visibility timeout is
    // fixed): an intrusive list through MemoryDelivery, so taking and settling allocate nothing.
    private MemoryDelivery inFlightHead;
    private MemoryDelivery inFlightTail;
    private int inFlightCount;

    /** For {@code topic}, keeping at most {@code heapBacklog} ready entries as objects. */
    TopicStore(String topic, int heapBacklog) {
        this.codec = new EntryCodec(topic);
        this.heapBacklog = heapBacklog;
        for (int i = 0; i < ready.length; i++) {
            ready[i] = new ArrayDeque<>();
        }
    }

    /** Appends {@code entry} to the ready entries of its priority. */
    void addReady(MemoryDelivery entry) {
        entry.seq = ++seq;
        append(entry);
    }

    /** Puts {@code entry} first among the ready entries of its priority (a message given back). */
    void putFirst(MemoryDelivery entry) {
        entry.seq = ++seq;
        int p = entry.stored.priority();
        ready[p].addFirst(entry);
        readyPriorities |= 1 << p;
        readyCount++;
        heapReadyCount++;
    }

    /** Keeps {@code entry} until its {@code dueAt}; see {@link #moveDue}. */
    void addDelayed(MemoryDelivery entry) {
        entry.seq = ++seq;
        delayed.add(entry);
    }

    /** Moves every delayed entry due by {@code now} to the ready ones; returns the next due time, or {@link Long#MAX_VALUE}. */
    long moveDue(long now) {
        while (!delayed.isEmpty() && delayed.peek().dueAt <= now) {
            append(delayed.poll());
        }
        return delayed.isEmpty() ? Long.MAX_VALUE : delayed.peek().dueAt;
    }

    /** Removes and returns the oldest ready entry of the highest priority; {@link #readyCount()} must be positive. */
    MemoryDelivery pollReady() {
        int p = 31 - Integer.numberOfLeadingZeros(readyPriorities);
        ArrayDeque<MemoryDelivery> q = ready[p];
        MemoryDelivery d = q.pollFirst();
        OffHeapLog log = spilled[p];
        if (d != null) {
            heapReadyCount--;
        } else {
            // The entries on the heap come first: only once they are taken does the log's turn come.
            d = codec.read(log.take());
        }
        if (q.isEmpty() && (log == null || log.isEmpty())) {
            readyPriorities &= ~(1 << p);
        }
        readyCount--;
        return d;
    }

    /** Removes every ready and delayed entry; returns how many there were. */
    long clear() {
        long n = readyCount + delayed.size();
        for (ArrayDeque<MemoryDelivery> q : ready) {
            q.clear();
        }
        for (OffHeapLog log : spilled) {
            if (log != null) {
                log.clear();
            }
        }
        readyCount = 0;
        heapReadyCount = 0;
        readyPriorities = 0;
        delayed.clear();
        return n;
    }

    /** Counts {@code d}, just delivered, in flight and against its consumer's prefetch; {@link #unlink} undoes both. */
    void link(MemoryDelivery d) {
        d.inFlight = true;
        d.consumer.unsettled++;
        d.prev = inFlightTail;
        if (inFlightTail == null) {
            inFlightHead = d;
        } else {
            inFlightTail.next = d;
        }
        inFlightTail = d;
        inFlightCount++;
    }

    /** Takes {@code d} out of flight: settled, expired or given back. */
    void unlink(MemoryDelivery d) {
        d.inFlight = false;
        d.consumer.unsettled--;
        if (d.prev == null) {
            inFlightHead = d.next;
        } else {
            d.prev.next = d.next;
        }
        if (d.next == null) {
            inFlightTail = d.prev;
        } else {
            d.next.prev = d.prev;
        }
        d.prev = null;
        d.next = null;
        inFlightCount--;
    }

    /** The in-flight delivery delivered first, so the first to expire; {@code null} if none. */
    MemoryDelivery oldestInFlight() {
        return inFlightHead;
    }

    int readyCount() {
        return readyCount;
    }

    /** Ready entries held as objects; the others are serialized in {@link #spilledBytes()}. */
    int heapReadyCount() {
        return heapReadyCount;
    }

    /** Bytes the serialized ready entries take. */
    long spilledBytes() {
        long n = 0;
        for (OffHeapLog log : spilled) {
            if (log != null) {
                n += log.bytes();
            }
        }
        return n;
    }

    int delayedCount() {
        return delayed.size();
    }

    int inFlightCount() {
        return inFlightCount;
    }

    private void append(MemoryDelivery entry) {
        int p = entry.stored.priority();
        OffHeapLog log = spilled[p];
        if ((log != null && !log.isEmpty()) || heapReadyCount >= heapBacklog) {
            // Behind what is already in the log, to keep publish order within the priority.
            if (log == null) {
                log = spilled[p] = new OffHeapLog();
            }
            log.append(codec.write(entry));
        } else {
            ready[p].addLast(entry);
            heapReadyCount++;
        }
        readyPriorities |= 1 << p;
        readyCount++;
    }
}
