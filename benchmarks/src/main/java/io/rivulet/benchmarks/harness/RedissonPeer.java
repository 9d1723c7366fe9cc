package io.rivulet.benchmarks.harness;

import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RBlockingQueueReactive;
import org.redisson.api.RedissonClient;
import org.redisson.api.RedissonReactiveClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import reactor.core.publisher.Flux;

/**
 * Redisson's queue (its reactive {@code RBlockingQueue}, a Redis list) doing the peer workload:
 * offer {@code count} strings with {@code inflight} offers outstanding, then poll them all back with
 * {@code concurrency} polls outstanding. It has no acknowledgement or redelivery: a polled element
 * is gone, so it does less work per message than Rivulet or BullMQ.
 */
final class RedissonPeer {

    private RedissonPeer() {
    }

    static Peer run(String host, int port, int count, int size, int concurrency, int inflight) {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + host + ":" + port);
        RedissonClient client = Redisson.create(config);
        try {
            RedissonReactiveClient reactive = client.reactive();
            RBlockingQueueReactive<String> queue = reactive.getBlockingQueue(
                    "rivulet-peer-redisson-" + ProcessHandle.current().pid(), StringCodec.INSTANCE);
            String payload = "x".repeat(size);
            long start = System.nanoTime();
            Flux.range(0, count).flatMap(i -> queue.offer(payload), inflight).then().block(Duration.ofMinutes(10));
            double produce = count / ((System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            Long polled = Flux.range(0, count).flatMap(i -> queue.poll(), concurrency).count()
                    .block(Duration.ofMinutes(10));
            double consume = count / ((System.nanoTime() - start) / 1e9);
            if (polled == null || polled != count) {
                throw new IllegalStateException("Redisson polled " + polled + " of " + count);
            }
            queue.delete().block(Duration.ofSeconds(10));
            return new Peer("Redisson " + version(),
                    "RBlockingQueue (Redis list): offer, poll; no ack", produce, consume);
        } finally {
            client.shutdown();
        }
    }

    /** Redisson's version from its Maven metadata (the shaded jar has no manifest version). */
    private static String version() {
        try (var in = Redisson.class.getResourceAsStream("/META-INF/maven/org.redisson/redisson/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "(unknown version)");
        } catch (java.io.IOException e) {
            return "(unknown version)";
        }
    }
}
