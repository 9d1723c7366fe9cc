package io.rivulet.benchmarks.redis;

import io.rivulet.core.Broker;
import io.rivulet.core.Codec;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.redis.RedisBroker;
import io.rivulet.redis.RedisOptions;
import java.time.Duration;
import java.util.UUID;
import reactor.core.publisher.Flux;

/** Rivulet's Redis broker: publishAll, then consume with prefetch 2 x {@value #WINDOW} and ack each. */
final class RivuletPeer implements RedisPeer {

    private static final Codec<byte[]> BYTES = Codec.bytes();

    private final String prefix = "rivulet-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final Broker broker;
    private final Queue<byte[]> queue;
    private final byte[] payload = new byte[PAYLOAD_BYTES];

    RivuletPeer() {
        broker = RedisBroker.create(RedisOptions.builder().host(RedisPeer.host()).port(RedisPeer.port())
                .keyPrefix(prefix).clientName("rivulet-bench").build());
        queue = broker.queue("bench.redis", BYTES);
    }

    @Override
    public int publish(int n) {
        return Math.toIntExact(queue.publishAll(Flux.range(0, n).map(i -> Message.of(payload)))
                .count().block(Duration.ofMinutes(2)));
    }

    @Override
    public int roundTrip(int n) {
        publish(n);
        // Up to 2 x WINDOW read and not yet acked, as the raw peer (a batch being acked, one read ahead).
        return Math.toIntExact(queue.consume(ConsumeOptions.builder().prefetch(2 * WINDOW).build())
                .flatMap(d -> d.ack().thenReturn(1), 2 * WINDOW)
                .take(n)
                .count()
                .block(Duration.ofMinutes(2)));
    }

    @Override
    public void reset() {
        RedisKeys.delete(RedisPeer.host(), RedisPeer.port(), prefix);
    }

    @Override
    public void close() {
        broker.close().block(Duration.ofSeconds(30));
        RedisKeys.delete(RedisPeer.host(), RedisPeer.port(), prefix);
    }
}
