package io.rivulet.core.internal.memory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A lock-free stack of entries linked through {@link MemoryDelivery#nextPending}: many threads
 * push, the topic's drain loop takes everything at once. Pushing allocates nothing.
 */
final class PendingStack extends AtomicReference<MemoryDelivery> {

    private static final long serialVersionUID = 1L;

    /** Pushes {@code e}; returns whether the stack was empty before. */
    boolean push(MemoryDelivery e) {
        MemoryDelivery head;
        do {
            head = get();
            e.nextPending = head;
        } while (!compareAndSet(head, e));
        return head == null;
    }

    /** Takes every entry, newest first (linked through {@code nextPending}); {@code null} if none. */
    MemoryDelivery takeAll() {
        return getAndSet(null);
    }

    /** Whether nothing is on the stack right now. */
    boolean isEmpty() {
        return get() == null;
    }
}
