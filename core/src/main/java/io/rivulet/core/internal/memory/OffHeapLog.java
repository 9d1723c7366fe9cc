package io.rivulet.core.internal.memory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.IntFunction;

/**
 * A first-in first-out log of byte records kept in direct (off-heap) memory: segments of
 * {@link #SEGMENT_BYTES} filled one after another, each freed once read through. Not thread-safe:
 * the owning {@link TopicStore} calls it under its topic's monitor.
 *
 * <p>When direct memory runs out ({@code -XX:MaxDirectMemorySize}), new segments come from the heap
 * instead: the backlog is still kept, serialized, rather than refused. The log asks for direct
 * memory again once it has been emptied.
 */
final class OffHeapLog {

    /** Size of a segment; a record larger than this gets a segment of its own size. */
    static final int SEGMENT_BYTES = 1 << 20;
    private static final int LENGTH_BYTES = Integer.BYTES;

    private final IntFunction<ByteBuffer> direct;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    // One read-through segment kept for the next one needed: a log read as fast as it is written
    // then reuses two segments instead of allocating one per megabyte.
    private Segment spare;
    private boolean directExhausted;
    private int records;
    private long bytes;

    OffHeapLog() {
        this(ByteBuffer::allocateDirect);
    }

    /** With {@code direct} allocating segments in direct memory (tests make it run out). */
    OffHeapLog(IntFunction<ByteBuffer> direct) {
        this.direct = direct;
    }

    /** Appends the remaining bytes of {@code record}. */
    void append(ByteBuffer record) {
        int length = record.remaining();
        int needed = LENGTH_BYTES + length;
        Segment tail = segments.peekLast();
        if (tail == null || tail.buffer.remaining() < needed) {
            tail = segment(needed);
            segments.addLast(tail);
        }
        tail.buffer.putInt(length).put(record);
        records++;
        bytes += needed;
    }

    /**
     * Removes the oldest record and returns a view of it, valid only until the next
     * {@link #append}: read it at once. The log must not be empty.
     */
    ByteBuffer take() {
        Segment head = segments.peekFirst();
        int length = head.buffer.getInt(head.readAt);
        ByteBuffer record = head.buffer.slice(head.readAt + LENGTH_BYTES, length);
        head.readAt += LENGTH_BYTES + length;
        records--;
        bytes -= LENGTH_BYTES + length;
        if (head.readAt == head.buffer.position()) {
            // Read through: the record view stays valid, as the segment is reused only by an append.
            segments.pollFirst();
            retire(head);
        }
        return record;
    }

    boolean isEmpty() {
        return records == 0;
    }

    int records() {
        return records;
    }

    /** Bytes the records take, with their length prefixes; segments may hold up to a segment more. */
    long bytes() {
        return bytes;
    }

    /** Whether the log kept records on the heap because direct memory ran out. */
    boolean onHeap() {
        return directExhausted;
    }

    /** Drops every record and frees the segments. */
    void clear() {
        segments.clear();
        spare = null;
        records = 0;
        bytes = 0;
        directExhausted = false;
    }

    private Segment segment(int needed) {
        if (spare != null && needed <= SEGMENT_BYTES) {
            Segment s = spare;
            spare = null;
            return s;
        }
        int size = Math.max(SEGMENT_BYTES, needed);
        if (!directExhausted) {
            try {
                return new Segment(direct.apply(size));
            } catch (OutOfMemoryError e) {
                // Direct memory is capped by -XX:MaxDirectMemorySize: keep the backlog on the heap.
                directExhausted = true;
            }
        }
        return new Segment(ByteBuffer.allocate(size));
    }

    private void retire(Segment s) {
        if (records == 0) {
            directExhausted = false;
        }
        if (s.buffer.capacity() == SEGMENT_BYTES && s.buffer.isDirect() && spare == null) {
            s.buffer.clear();
            s.readAt = 0;
            spare = s;
        }
        // Otherwise dropped: the collector frees a direct buffer's memory with the buffer.
    }

    private static final class Segment {
        // Written at its position; read from readAt up to that position.
        final ByteBuffer buffer;
        int readAt;

        Segment(ByteBuffer buffer) {
            this.buffer = buffer;
        }
    }
}
