package io.rivulet.benchmarks;

/**
 * One producer handing messages to one consumer thread that acknowledges each of them. A
 * pipeline is set up once, {@link #run(int) run} many times, then closed.
 */
interface Handoff extends AutoCloseable {

    /** Size of the message payloads, in bytes. */
    int PAYLOAD_BYTES = 100;

    /**
     * Publishes {@code messages} messages from the calling thread and returns once the consumer
     * acknowledged all of them; returns how many were acknowledged.
     */
    int run(int messages) throws InterruptedException;

    @Override
    void close();
}
