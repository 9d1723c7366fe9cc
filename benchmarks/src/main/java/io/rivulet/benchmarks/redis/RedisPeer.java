package io.rivulet.benchmarks.redis;

/**
 * One way of driving a Redis queue: Rivulet, or raw Lettuce issuing the same commands. Set up once,
 * run many times against its own key prefix, then closed (which deletes its keys).
 */
interface RedisPeer extends AutoCloseable {

    /** Size of the message payloads, in bytes. */
    int PAYLOAD_BYTES = 100;
    /** Publishes or acks kept in flight at once (Rivulet's publish window and prefetch). */
    int WINDOW = 256;

    /** Publishes {@code n} messages and returns once Redis stored all of them; returns how many. */
    int publish(int n);

    /** Publishes {@code n} messages, then consumes and acks {@code n}; returns how many were acked. */
    int roundTrip(int n);

    /** Deletes the peer's keys (what {@link #publish} piled up), keeping its connections. */
    void reset();

    @Override
    void close();

    /** Where the benchmark's Redis is: system properties {@code redis.host} / {@code redis.port}. */
    static String host() {
        return System.getProperty("redis.host", "127.0.0.1");
    }

    static int port() {
        return Integer.getInteger("redis.port", 6379);
    }
}
