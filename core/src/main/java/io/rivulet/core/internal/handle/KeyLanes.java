package io.rivulet.core.internal.handle;

import io.rivulet.core.Message;

/**
 * Maps a message to one of a fixed number of lanes by its key (its id when it has none), so that a
 * key always lands in the same lane. A fixed lane count keeps key-ordered handling bounded however
 * many distinct keys arrive; keys that collide merely share a lane.
 */
final class KeyLanes {

    private KeyLanes() {
    }

    /** The lane, from 0 to {@code lanes - 1}, of {@code message}. */
    static int laneOf(Message<?> message, int lanes) {
        String key = message.key() != null ? message.key() : message.id();
        return laneOf(key, lanes);
    }

    /** The lane, from 0 to {@code lanes - 1}, of {@code key}. */
    static int laneOf(String key, int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be >= 1, was " + lanes);
        }
        // String.hashCode clusters similar keys ("k1", "k2"...): spread the bits before reducing.
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return Math.floorMod(h, lanes);
    }
}
