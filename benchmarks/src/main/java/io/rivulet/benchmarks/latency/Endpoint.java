package io.rivulet.benchmarks.latency;

import java.util.function.Consumer;

/**
 * One side of a latency comparison: Rivulet on a backend, or the raw client issuing the same
 * commands. It publishes payloads to a queue of its own and hands every delivered payload to the
 * handler given to {@link #start}, which records the latency; the endpoint then acks the message
 * (so the ack is never part of the measured latency, on either side).
 */
interface Endpoint extends AutoCloseable {

    /** Size of every payload, in bytes. */
    int PAYLOAD_BYTES = 100;

    /** A short label for tables: {@code Rivulet} or the raw client's name. */
    String name();

    /** Starts consuming; {@code handler} gets each delivered payload, before the endpoint acks it. */
    void start(Consumer<byte[]> handler) throws Exception;

    /**
     * Publishes one payload without waiting for the broker's answer (the answer, or its failure,
     * is checked asynchronously); called from one thread at a time.
     */
    void send(byte[] payload);

    /** Throws if a publish or an ack failed since the start. */
    void check();

    @Override
    void close();
}
