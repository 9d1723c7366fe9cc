package io.rivulet.benchmarks.latency;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a set of latencies, in nanoseconds: the value below or at which
 * {@code p} of the samples lie (with n samples, p99.9 is the ⌈0.999·n⌉-th smallest).
 *
 * @param count how many samples
 * @param p50 median
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max the largest sample
 */
public record Percentiles(int count, long p50, long p99, long p999, long max) {

    /** Sorts {@code samples} in place and takes its percentiles; at least one sample. */
    public static Percentiles of(long[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no latency samples");
        }
        Arrays.sort(samples);
        return new Percentiles(samples.length, rank(samples, 0.50), rank(samples, 0.99), rank(samples, 0.999),
                samples[samples.length - 1]);
    }

    private static long rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
