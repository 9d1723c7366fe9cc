package io.rivulet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivulet.core.Broker;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.core.QueueOptions;
import io.rivulet.core.QueueStats;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * Cluster specifics on a private Redis Cluster of three masters: topics spread over the masters,
 * blocking reads on each master, seeds, and a topic's slot moved to another master mid-stream.
 */
class RedisClusterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static PrivateCluster cluster;
    private final List<Broker> brokers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = PrivateCluster.start(3);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeBrokers() {
        brokers.forEach(b -> b.close().block(PATIENCE));
    }

    private Broker broker(RedisOptions options) {
        Broker b = RedisBroker.create(options);
        brokers.add(b);
        return b;
    }

    /** One topic per master: the first names (cluster.t0, cluster.t1, ...) whose slot lies there. */
    private static List<String> oneTopicPerMaster(String prefix) {
        Map<Integer, String> byNode = new HashMap<>();
        for (int i = 0; byNode.size() < cluster.nodes.size(); i++) {
            String topic = "cluster.t" + i;
            byNode.putIfAbsent(cluster.nodeOf(prefix + "{" + topic + "}:stream:0"), topic);
        }
        return new ArrayList<>(new java.util.TreeMap<>(byNode).values());
    }

    @Test
    void topicsOnDifferentMastersAllWork() {
        String prefix = "spread:";
        Broker broker = broker(cluster.options().keyPrefix(prefix).build());
        List<String> topics = oneTopicPerMaster(prefix);
        int n = 50;
        for (String topic : topics) {
            Queue<String> q = broker.queue(topic, io.rivulet.core.JsonCodec.of(String.class),
                    QueueOptions.builder().dedupTtl(Duration.ofMinutes(1)).build());
            List<Message<String>> messages = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                messages.add(Message.builder(topic + "-" + i).id(topic + "-" + i).priority(i % 3).build());
            }
            assertThat(q.publishAll(Flux.fromIterable(messages)).count().block(PATIENCE)).isEqualTo(n);
            assertThat(q.publish(Message.builder("again").id(topic + "-0").build()).block(PATIENCE).duplicate())
                    .as("dedup key of %s", topic).isTrue();
            q.publishDelayed(Message.of(topic + "-late"), Duration.ofMillis(300)).block(PATIENCE);
        }
        // Every topic's keys sit on the master of its slot, and the topics are on all three.
        for (int i = 0; i < topics.size(); i++) {
            String stream = prefix + "{" + topics.get(i) + "}:stream:0";
            assertThat(cluster.node(i).exists(stream)).as("%s on node %s", stream, i).isOne();
        }

        for (String topic : topics) {
            Queue<String> q = broker.queue(topic, String.class);
            List<String> got = q.consume(ConsumeOptions.builder().prefetch(16).build())
                    .take(n + 2)
                    .concatMap(d -> {
                        String p = d.message().payload();
                        if (p.endsWith("-1") && d.message().attempt() == 1) {
                            return d.nack().thenReturn("nacked");
                        }
                        if (p.endsWith("-2")) {
                            return d.deadLetter("bad").thenReturn("dead");
                        }
                        return d.ack().thenReturn(p);
                    })
                    .collectList().block(PATIENCE);
            assertThat(got).contains(topic + "-late", topic + "-1", "nacked", "dead").hasSize(n + 2);
            QueueStats s = q.stats().block(PATIENCE);
            assertThat(s.completed()).as("completed of %s", topic).isEqualTo(n);
            assertThat(s.dead()).isEqualTo(1);
            assertThat(s.ready() + s.pending() + s.delayed()).isZero();
            assertThat(q.deadLetters().replayAll().block(PATIENCE)).isEqualTo(1);
            assertThat(q.consume().next().flatMap(d -> d.ack().thenReturn(d.message().payload())).block(PATIENCE))
                    .isEqualTo(topic + "-2");
            q.publish("left over").block(PATIENCE);
            assertThat(broker.admin().clear(topic).block(PATIENCE)).isEqualTo(1);
        }
        assertThat(broker.admin().queues().collectList().block(PATIENCE)).containsAll(topics);
    }

    @Test
    void consumersWaitingOnEveryMasterWakeUpOnPublish() {
        String prefix = "wake:";
        // A long poll interval: a message must wake the consumer's XREAD BLOCK on its topic's master.
        RedisOptions options = cluster.options().keyPrefix(prefix).pollInterval(Duration.ofSeconds(20))
                .commandTimeout(Duration.ofSeconds(60)).build();
        Broker consumers = broker(options);
        Broker publisher = broker(options);
        for (String topic : oneTopicPerMaster(prefix)) {
            StepVerifier.create(consumers.queue(topic, String.class).consume()
                            .concatMap(d -> d.ack().thenReturn(d.message().payload())).next())
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(500))
                    .then(() -> publisher.queue(topic, String.class).publish("wake " + topic).block(PATIENCE))
                    .expectNext("wake " + topic)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void extraSeedsLetTheBrokerStartWhenTheFirstSeedIsDown() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Queue<String> q = broker(cluster.options().port(closed).keyPrefix("seeds:")
                .clusterSeeds("127.0.0.1:" + cluster.nodes.get(1).port).build()).queue("cluster.seeds", String.class);
        q.publish("via the second seed").block(PATIENCE);
        assertThat(q.consume().next().flatMap(d -> d.ack().thenReturn(d.message().payload())).block(PATIENCE))
                .isEqualTo("via the second seed");
    }

    @Test
    void unreachableOrStandaloneRedisFailsNamingTheOptions() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Queue<String> q = broker(RedisOptions.builder().host("127.0.0.1").port(closed).cluster(true)
                .connectTimeout(Duration.ofSeconds(2)).build()).queue("cluster.down", String.class);
        StepVerifier.create(q.publish("x"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("Redis Cluster at 127.0.0.1:" + closed)
                        .hasMessageContaining("RedisOptions"))
                .verify(PATIENCE);
        Queue<String> standalone = broker(RedisOptions.builder().host(TestRedis.HOST).port(TestRedis.PORT)
                .cluster(true).build()).queue("cluster.standalone", String.class);
        StepVerifier.create(standalone.publish("x"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("not a cluster node").hasMessageContaining("RedisOptions.cluster"))
                .verify(PATIENCE);
        assertThatThrownBy(() -> RedisOptions.builder().cluster(true).database(2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.database");
    }

    @Test
    void slotMovedToAnotherMasterMidStreamLosesNothing() throws Exception {
        String prefix = "moved:";
        String topic = oneTopicPerMaster(prefix).get(0);
        String stream = prefix + "{" + topic + "}:stream:0";
        int from = cluster.nodeOf(stream);
        int to = (from + 1) % cluster.nodes.size();
        RedisOptions options = cluster.options().keyPrefix(prefix).visibilityTimeout(Duration.ofSeconds(3)).build();
        Queue<String> q = broker(options).queue(topic, String.class);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Disposable consumer = broker(options).queue(topic, String.class).consume()
                .flatMap(d -> d.ack().doOnSuccess(v -> acked.add(d.message().id())).onErrorResume(e -> Mono.empty()), 16)
                .subscribe();
        Set<String> published = ConcurrentHashMap.newKeySet();
        int n = 300;
        Disposable publisher = Flux.range(0, n)
                .concatMap(i -> q.publish(Message.builder("m" + i).id("m-" + i).build())
                        .retryWhen(Retry.backoff(50, Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(200)))
                        .doOnNext(r -> published.add(r.id())), 4)
                .subscribe();
        try {
            RedisCrashTest.awaitCondition(() -> acked.size() >= n / 4);
            cluster.moveSlotOf(stream, from, to);
            RedisCrashTest.awaitCondition(() -> published.size() == n && acked.containsAll(published));
        } finally {
            publisher.dispose();
            consumer.dispose();
        }
        assertThat(cluster.nodeOf(stream)).isEqualTo(to);
        assertThat(cluster.node(to).exists(stream)).isOne();
        QueueStats s = q.stats().block(PATIENCE);
        assertThat(acked).hasSize(n);
        assertThat(s.pending() + s.ready() + s.dead()).isZero();
    }
}
