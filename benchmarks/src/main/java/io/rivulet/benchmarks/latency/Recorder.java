package io.rivulet.benchmarks.latency;

import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collects the latencies of one round. Each payload carries, in its first 16 bytes, the send time
 * it is measured from ({@link System#nanoTime()}: one JVM sends and receives), the round and its
 * sequence number; the rest is zeros. A payload of another round (a late warm-up message) or one
 * seen twice (at-least-once redelivery) is not counted.
 */
final class Recorder {

    private final int round;
    private final long[] latencies;
    private final AtomicInteger received = new AtomicInteger();
    private final Semaphore arrivals = new Semaphore(0);

    Recorder(int round, int messages) {
        this.round = round;
        this.latencies = new long[messages];
    }

    /** A payload of this round, measured from {@code sendTime}. */
    byte[] payload(int seq, long sendTime) {
        byte[] p = new byte[Endpoint.PAYLOAD_BYTES];
        ByteBuffer.wrap(p).putLong(sendTime).putInt(round).putInt(seq);
        return p;
    }

    /** Records a delivered payload; call on arrival at the handler, before acking. */
    void received(byte[] payload) {
        long now = System.nanoTime();
        ByteBuffer b = ByteBuffer.wrap(payload);
        long sent = b.getLong();
        int r = b.getInt();
        int seq = b.getInt();
        if (r != round || seq < 0 || seq >= latencies.length) {
            return;
        }
        synchronized (this) {
            if (latencies[seq] != 0) {
                return;
            }
            latencies[seq] = Math.max(1, now - sent);
        }
        received.incrementAndGet();
        arrivals.release();
    }

    /** Waits for the next arrival; false if none came within {@code timeoutMs}. */
    boolean awaitOne(long timeoutMs) throws InterruptedException {
        return arrivals.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Waits until every message of the round arrived, up to {@code timeoutMs}; false if some did not. */
    boolean awaitAll(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (received.get() < latencies.length) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !arrivals.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                return received.get() >= latencies.length;
            }
        }
        return true;
    }

    int received() {
        return received.get();
    }

    /** A copy of the latencies recorded so far (nanoseconds), in send order. */
    synchronized long[] latencies() {
        return latencies.clone();
    }
}
