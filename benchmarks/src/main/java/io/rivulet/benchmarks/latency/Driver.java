package io.rivulet.benchmarks.latency;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one {@link Endpoint} through the two load shapes and returns its latencies:
 * <ul>
 * <li><b>ping-pong</b>: one message at a time; the next is sent once the handler got the previous
 * one. Measured from just before the publish call.</li>
 * <li><b>open loop</b>: messages due at a fixed rate, sent whatever happened to earlier ones (a
 * late sender catches up at once). Measured from each message's intended send time, not the
 * moment it actually went out, so a stall of the sender or the client counts against the messages
 * it delayed (no coordinated omission).</li>
 * </ul>
 * Both stop at the handler: the ack that follows is outside the measurement.
 */
final class Driver {

    /** Longest wait for one ping-pong message (covers a Kafka group join on the first one). */
    private static final long PING_TIMEOUT_MS = 60_000;
    /** Longest wait for the last open-loop message once all were sent. */
    private static final long DRAIN_TIMEOUT_MS = 60_000;

    private final Endpoint endpoint;
    private final String backend;
    private volatile Recorder current = new Recorder(-1, 0);
    private int rounds;

    Driver(String backend, Endpoint endpoint) throws Exception {
        this.backend = backend;
        this.endpoint = endpoint;
        endpoint.start(p -> current.received(p));
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Sends {@code messages} one at a time; returns their latencies in nanoseconds. */
    long[] pingPong(int messages) throws InterruptedException {
        Recorder r = next(messages);
        for (int i = 0; i < messages; i++) {
            endpoint.send(r.payload(i, System.nanoTime()));
            if (!r.awaitOne(PING_TIMEOUT_MS)) {
                throw new IllegalStateException(backend + " / " + endpoint.name() + ": ping-pong message " + i
                        + " did not reach the handler within " + PING_TIMEOUT_MS + " ms");
            }
        }
        endpoint.check();
        return r.latencies();
    }

    /** Sends {@code rate} messages per second for {@code millis}, open loop; returns their latencies in ns. */
    long[] openLoop(int rate, long millis) throws InterruptedException {
        int messages = (int) Math.max(1, rate * millis / 1000);
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        Recorder r = next(messages);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        for (int i = 0; i < messages; i++) {
            long intended = start + i * period;
            // Pacing, not waiting for a condition: park until the message is due.
            for (long left = intended - System.nanoTime(); left > 0; left = intended - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            endpoint.send(r.payload(i, intended));
        }
        if (!r.awaitAll(DRAIN_TIMEOUT_MS)) {
            throw new IllegalStateException(backend + " / " + endpoint.name() + ": only " + r.received() + " of "
                    + messages + " open-loop messages reached the handler within " + DRAIN_TIMEOUT_MS
                    + " ms of the last send");
        }
        endpoint.check();
        return r.latencies();
    }

    private Recorder next(int messages) {
        Recorder r = new Recorder(rounds++, messages);
        current = r;
        return r;
    }
}
