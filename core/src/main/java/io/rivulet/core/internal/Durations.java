package io.rivulet.core.internal;

import java.time.Duration;

/** Validation of durations that backends add to a millisecond clock (timeouts, TTLs). */
public final class Durations {

    /** The longest such duration: ten years, far from overflowing a millisecond clock. */
    public static final Duration MAX = Duration.ofDays(3650);

    private Durations() {
    }

    /**
     * Checks that {@code d} is between 1 ms and {@link #MAX}; the error names {@code parameter}.
     * Shorter would round to zero on a millisecond clock (a TTL of 0 silently turns a feature off);
     * longer could overflow when added to the clock.
     */
    public static Duration requireMillis(Duration d, String parameter) {
        if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(parameter + " must be between 1 ms and " + MAX.toDays()
                    + " days, was " + d);
        }
        return d;
    }
}
