package io.rivulet.benchmarks.harness;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.benchmarks.redis.RedisKeys;
import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Codec;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Handle;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.Queue;
import io.rivulet.redis.RedisBroker;
import io.rivulet.redis.RedisOptions;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Rivulet's Redis backend doing the peer workload: {@code publishAll} (which keeps 256 publishes in
 * flight), then {@code consume} with {@link Handle#concurrently} at {@code concurrency}, every
 * message acked (XACK + XDEL + counter, atomically).
 */
final class RivuletRedisPeer {

    private RivuletRedisPeer() {
    }

    static Peer run(String host, int port, int count, int size, int concurrency) {
        String prefix = "rivulet-peer-" + ProcessHandle.current().pid() + ":";
        Broker broker = RedisBroker.create(RedisOptions.builder().host(host).port(port).keyPrefix(prefix).build(),
                BrokerOptions.builder().name("peers").meterRegistry(new SimpleMeterRegistry()).build());
        try {
            Queue<byte[]> queue = broker.queue("bench.peers", Codec.bytes());
            byte[] payload = new byte[size];
            long start = System.nanoTime();
            queue.publishAll(Flux.range(0, count).map(i -> Message.of(payload))).then()
                    .block(Duration.ofMinutes(10));
            double produce = count / ((System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            Long acked = queue.consume(ConsumeOptions.builder().prefetch(Math.max(256, concurrency)).build())
                    .transform(Handle.concurrently(m -> Mono.empty(),
                            HandleOptions.builder().concurrency(concurrency).build()))
                    .filter(o -> o.status() == Outcome.Status.ACKED)
                    .take(count)
                    .count()
                    .block(Duration.ofMinutes(10));
            double consume = count / ((System.nanoTime() - start) / 1e9);
            if (acked == null || acked != count) {
                throw new IllegalStateException("Rivulet acked " + acked + " of " + count);
            }
            return new Peer("Rivulet (redis)", "publishAll; consume + Handle.concurrently, ack each", produce,
                    consume);
        } finally {
            broker.close().block(Duration.ofSeconds(30));
            RedisKeys.delete(host, port, prefix);
        }
    }
}
