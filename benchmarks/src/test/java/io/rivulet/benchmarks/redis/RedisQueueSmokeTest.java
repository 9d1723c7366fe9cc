package io.rivulet.benchmarks.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs each Redis benchmark peer once without JMH against the Redis on 127.0.0.1:6379 (which
 * scripts/test.sh starts), so {@code verify} keeps the benchmark working.
 */
class RedisQueueSmokeTest {

    private static final int MESSAGES = 500;

    @Test
    void rivuletPeerPublishesAndAcksEveryMessage() {
        try (RedisPeer p = new RivuletPeer()) {
            assertThat(p.publish(MESSAGES)).isEqualTo(MESSAGES);
            assertThat(p.roundTrip(MESSAGES)).isEqualTo(MESSAGES);
            assertThat(p.roundTrip(MESSAGES)).as("a second run on the same broker").isEqualTo(MESSAGES);
        }
    }

    @Test
    void rawLettucePeerPublishesAndAcksEveryMessage() {
        try (RawLettucePeer p = new RawLettucePeer()) {
            assertThat(p.publish(MESSAGES)).isEqualTo(MESSAGES);
            assertThat(p.publishXadd(MESSAGES)).isEqualTo(MESSAGES);
            assertThat(p.roundTrip(MESSAGES)).isEqualTo(MESSAGES);
            assertThat(p.roundTrip(MESSAGES)).isEqualTo(MESSAGES);
        }
    }
}
