package io.rivulet.kafka.internal;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The settlement state of one partition's fetched records, and the offset that is safe to commit:
 * one past the last record of the unbroken settled run from the oldest fetched record. A record
 * settled out of order (a later one finishing before a slow earlier one) never moves that offset
 * past the unsettled one. Not thread-safe: its owner guards it.
 *
 * @param <T> what to hand back with a newly committable offset (the record's commit handle)
 */
final class OffsetTracker<T> {

    private static final class Slot<T> {
        final long offset;
        final T handle;
        boolean settled;

        Slot(long offset, T handle) {
            this.offset = offset;
            this.handle = handle;
        }
    }

    // Fetched records in offset order, from the oldest not yet committable.
    private final ArrayDeque<Slot<T>> slots = new ArrayDeque<>();
    private long committable = -1;
    private int settledAbove;

    /** Registers a fetched record; offsets must grow. */
    void fetched(long offset, T handle) {
        Slot<T> last = slots.peekLast();
        if (last != null && offset <= last.offset) {
            throw new IllegalStateException("Offsets must grow: " + offset + " after " + last.offset);
        }
        slots.addLast(new Slot<>(offset, handle));
    }

    /**
     * Settles the record at {@code offset}; returns the handle of the newest record that became
     * committable (commit its offset + 1), or {@code null} if the committable offset did not move.
     */
    T settle(long offset) {
        Slot<T> found = null;
        for (Iterator<Slot<T>> it = slots.iterator(); it.hasNext(); ) {
            Slot<T> s = it.next();
            if (s.offset == offset) {
                found = s;
                break;
            }
            if (s.offset > offset) {
                break;
            }
        }
        if (found == null || found.settled) {
            return null;
        }
        found.settled = true;
        settledAbove++;
        T newest = null;
        while (!slots.isEmpty() && slots.peekFirst().settled) {
            Slot<T> s = slots.pollFirst();
            settledAbove--;
            committable = s.offset + 1;
            newest = s.handle;
        }
        return newest;
    }

    /** The offset to commit now: one past the settled run, or -1 if nothing was settled yet. */
    long committable() {
        return committable;
    }

    /** The oldest fetched record not yet settled, or -1 if none. */
    long oldestUnsettled() {
        Slot<T> first = slots.peekFirst();
        return first == null ? -1 : first.offset;
    }

    /** Records settled but not committable because an older one is unsettled. */
    int settledAbove() {
        return settledAbove;
    }

    /** Whether the record at {@code offset} is fetched and unsettled. */
    boolean isPending(long offset) {
        for (Slot<T> s : slots) {
            if (s.offset == offset) {
                return !s.settled;
            }
        }
        return false;
    }
}
