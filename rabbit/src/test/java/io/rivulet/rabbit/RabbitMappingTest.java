package io.rivulet.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.rivulet.core.Broker;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Delivery;
import io.rivulet.core.Queue;
import io.rivulet.core.kit.KitSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** How Rivulet maps onto RabbitMQ: queues, tiers, DLQ headers, quorum queues, returns. */
class RabbitMappingTest {

    private final List<Broker> brokers = new ArrayList<>();
    private final Set<String> topics = new LinkedHashSet<>();

    @AfterEach
    void close() throws Exception {
        brokers.forEach(b -> b.close().block(Duration.ofSeconds(10)));
        RabbitTestSupport.deleteTopics(topics, RabbitTestSupport.TIERS);
        withChannel(ch -> {
            for (String t : topics) {
                ch.exchangeDelete("rivulet.fanout." + t);
            }
            return null;
        });
    }

    private Broker broker(RabbitOptions.Builder options) {
        Broker b = RabbitTestSupport.broker(options.build());
        brokers.add(b);
        return b;
    }

    private String topic(String name) {
        String t = "mapping." + name + "." + UUID.randomUUID().toString().substring(0, 8);
        topics.add(t);
        return t;
    }

    private static <T> T withChannel(ChannelCall<T> call) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        try (Connection c = f.newConnection("rivulet-test-raw"); Channel ch = c.createChannel()) {
            return call.apply(ch);
        }
    }

    private interface ChannelCall<T> {
        T apply(Channel ch) throws Exception;
    }

    @Test
    void deadLetterIsACopyInTheDlqWithReasonHeaders() throws Exception {
        Broker broker = broker(RabbitTestSupport.options());
        String topic = topic("dlq");
        Queue<String> queue = broker.queue(topic, KitSupport.TEXT);
        queue.publish("payload").block(Duration.ofSeconds(10));
        Delivery<String> d = queue.consume().next().block(Duration.ofSeconds(10));
        d.deadLetter("card declined", new IllegalStateException("no funds")).block(Duration.ofSeconds(10));

        GetResponse r = withChannel(ch -> {
            GetResponse got = ch.basicGet(topic + ".dlq", false);
            ch.basicNack(got.getEnvelope().getDeliveryTag(), false, true);
            return got;
        });
        Map<String, Object> h = r.getProps().getHeaders();
        assertThat(h.get("rivulet-dl-reason")).hasToString("card declined");
        assertThat(h.get("rivulet-dl-error-class")).hasToString(IllegalStateException.class.getName());
        assertThat(h.get("rivulet-dl-error-message")).hasToString("no funds");
        assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(r.getProps().getMessageId()).isEqualTo(d.message().id());
        assertThat(queue.stats().block(Duration.ofSeconds(10)).ready()).isZero();
    }

    @Test
    void delayedMessageWaitsInTheTierQueueThatFits() throws Exception {
        Broker broker = broker(RabbitTestSupport.options());
        String topic = topic("tier");
        Queue<String> queue = broker.queue(topic, KitSupport.TEXT);
        queue.publishDelayed(io.rivulet.core.Message.of("later"), Duration.ofMinutes(7)).block(Duration.ofSeconds(10));

        long inTier = withChannel(ch -> (long) ch.queueDeclarePassive(topic + ".delay.300000ms").getMessageCount());
        assertThat(inTier).isEqualTo(1);
        assertThat(queue.stats().block(Duration.ofSeconds(10)).delayed()).isEqualTo(1);
    }

    @Test
    void delayThatIsNoTierIsHoppedThroughTiersAndArrivesOnTime() {
        Broker broker = broker(RabbitTestSupport.options());
        Queue<String> queue = broker.queue(topic("hops"), KitSupport.TEXT);
        long start = System.nanoTime();
        queue.publishDelayed(io.rivulet.core.Message.of("soon"), Duration.ofMillis(1_700)).block(Duration.ofSeconds(10));

        StepVerifier.create(queue.consume().take(1).map(d -> d.message().payload()))
                .expectNext("soon")
                .expectComplete()
                .verify(Duration.ofSeconds(15));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waited).isBetween(1_650L, 4_000L);
    }

    @Test
    void publishToAQueueDeletedBehindOurBackFailsAsUnroutable() throws Exception {
        Broker broker = broker(RabbitTestSupport.options());
        String topic = topic("gone");
        Queue<String> queue = broker.queue(topic, KitSupport.TEXT);
        queue.publish("first").block(Duration.ofSeconds(10));
        withChannel(ch -> ch.queueDelete(topic));

        StepVerifier.create(queue.publish("second"))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("unroutable").hasMessageContaining(topic))
                .verify(Duration.ofSeconds(15));
    }

    @Test
    void fanOutTopicReachesEveryGroupWhoseMembersCompete() {
        String topic = topic("fan");
        topics.add(topic + ".billing");
        topics.add(topic + ".shipping");
        Broker broker = broker(RabbitTestSupport.options().fanOut(topic, "billing", "shipping"));
        Queue<String> billing = broker.queue(topic + ".billing", KitSupport.TEXT);
        Queue<String> shipping = broker.queue(topic + ".shipping", KitSupport.TEXT);
        Set<String> billingA = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> billingB = java.util.concurrent.ConcurrentHashMap.newKeySet();
        io.rivulet.core.ConsumeOptions two = io.rivulet.core.ConsumeOptions.builder().prefetch(2).build();
        reactor.core.Disposable a = billing.consume(two)
                .concatMap(d -> d.ack().doOnSuccess(v -> billingA.add(d.message().payload()))).subscribe();
        reactor.core.Disposable b = billing.consume(two)
                .concatMap(d -> d.ack().doOnSuccess(v -> billingB.add(d.message().payload()))).subscribe();
        try {
            Queue<String> events = broker.queue(topic, KitSupport.TEXT);
            events.publishAll(reactor.core.publisher.Flux.range(0, 40).map(i -> io.rivulet.core.Message.of("e" + i)))
                    .then().block(Duration.ofSeconds(15));
            events.publishDelayed(io.rivulet.core.Message.of("late"), Duration.ofMillis(600)).block(Duration.ofSeconds(10));

            List<String> shipped = shipping.consume().concatMap(d -> d.ack().thenReturn(d.message().payload()))
                    .take(41).collectList().block(Duration.ofSeconds(15));
            assertThat(shipped).hasSize(41).contains("e0", "e39", "late");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (billingA.size() + billingB.size() < 41 && System.nanoTime() < deadline) {
                reactor.core.publisher.Mono.delay(Duration.ofMillis(20)).block();
            }
            Set<String> all = new java.util.HashSet<>(billingA);
            all.addAll(billingB);
            assertThat(billingA.size() + billingB.size()).isEqualTo(41);
            assertThat(all).hasSize(41).contains("late");
        } finally {
            a.dispose();
            b.dispose();
        }
    }

    @Test
    void quorumQueueCountsAttemptsWithTheBrokersDeliveryCount() {
        RabbitOptions.Builder quorum = RabbitTestSupport.options().queueType(RabbitOptions.QueueType.QUORUM);
        Broker first = broker(quorum);
        String topic = topic("quorum");
        first.queue(topic, KitSupport.TEXT).publish("q").block(Duration.ofSeconds(10));
        Delivery<String> taken = first.queue(topic, KitSupport.TEXT).consume().next().block(Duration.ofSeconds(10));
        assertThat(taken.message().attempt()).isEqualTo(1);
        first.close().block(Duration.ofSeconds(10)); // the unacked delivery goes back to the queue

        Broker second = broker(quorum);
        Delivery<String> again = second.queue(topic, KitSupport.TEXT).consume().next().block(Duration.ofSeconds(10));
        assertThat(again.message().id()).isEqualTo(taken.message().id());
        assertThat(again.message().attempt()).isEqualTo(2);
        again.ack().block(Duration.ofSeconds(10));
    }

    @Test
    void quorumDeliveryLimitDeadLettersAMessageThatKeepsComingBack() {
        RabbitOptions.Builder limited = RabbitTestSupport.options().queueType(RabbitOptions.QueueType.QUORUM)
                .deliveryLimit(1);
        String topic = topic("limit");
        broker(limited).queue(topic, KitSupport.TEXT).publish("crashes consumers").block(Duration.ofSeconds(10));
        for (int i = 0; i < 2; i++) {
            Broker crashing = broker(limited);
            crashing.queue(topic, KitSupport.TEXT).consume().next().block(Duration.ofSeconds(10));
            crashing.close().block(Duration.ofSeconds(10));
        }

        Broker inspector = broker(limited);
        DeadLetter dl = inspector.admin().deadLetters(topic).list().next()
                .repeatWhenEmpty(50, r -> r.delayElements(Duration.ofMillis(100)))
                .block(Duration.ofSeconds(15));
        assertThat(dl.reason()).contains("delivery_limit");
        assertThat(dl.payloadText()).isEqualTo("crashes consumers");
    }
}
