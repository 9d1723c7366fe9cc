package io.rivulet.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Puts results that complete out of order (by index from 0) back in order. Thread-safe. */
final class InOrder<T> {

    private final TreeMap<Long, T> waiting = new TreeMap<>();
    private long next;

    /** Records result {@code index}; returns the results that are now next in order. */
    synchronized List<T> done(long index, T result) {
        if (index == next && waiting.isEmpty()) {
            next++;
            return List.of(result);
        }
        waiting.put(index, result);
        List<T> out = new ArrayList<>();
        while (!waiting.isEmpty() && waiting.firstKey() == next) {
            out.add(waiting.pollFirstEntry().getValue());
            next++;
        }
        return out;
    }
}
