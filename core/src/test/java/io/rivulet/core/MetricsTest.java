package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.core.internal.BrokerMetrics;
import io.rivulet.core.kit.KitSupport;
import io.rivulet.core.memory.MemoryBroker;
import io.rivulet.core.memory.MemoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The Micrometer meters a broker registers, on the in-memory backend. */
class MetricsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String TOPIC = "metrics.jobs";

    /** A payload type with a schema, so raw text on its topic is poison. */
    public record Job(String name, int n) {
    }

    /** UTF-8 text, to put bytes that are not JSON on a topic. */
    private static final Codec<String> TEXT = KitSupport.TEXT;

    private final List<Broker> brokers = new ArrayList<>();
    private SimpleMeterRegistry registry;
    private VirtualTimeScheduler vts;

    @BeforeEach
    void open() {
        registry = new SimpleMeterRegistry();
        // Virtual time: no visibility timeout can fire behind a test's back.
        vts = VirtualTimeScheduler.create();
    }

    @AfterEach
    void close() {
        brokers.forEach(b -> b.close().block(PATIENCE));
        vts.dispose();
        registry.close();
    }

    private Broker broker(String name) {
        Broker b = MemoryBroker.create(MemoryOptions.builder().scheduler(vts).build(),
                BrokerOptions.builder().name(name).meterRegistry(registry).build());
        brokers.add(b);
        return b;
    }

    private double count(String meter, String broker, String topic) {
        return registry.get(meter).tags("broker", broker, "backend", "memory", "topic", topic).counter().count();
    }

    private Timer handlerTimer(String broker, String topic, String outcome) {
        return registry.get(BrokerMetrics.HANDLER_DURATION)
                .tags("broker", broker, "backend", "memory", "topic", topic, "outcome", outcome)
                .timer();
    }

    private List<Meter.Id> metersOf(String broker) {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> broker.equals(id.getTag("broker"))).toList();
    }

    private static void publishJobs(Queue<Job> queue, int n) {
        StepVerifier.create(queue.publishAll(Flux.range(1, n).map(i -> Message.of(new Job("job", i)))))
                .expectNextCount(n)
                .expectComplete()
                .verify(PATIENCE);
    }

    private static List<Delivery<Job>> take(Queue<Job> queue, int n) {
        List<Delivery<Job>> taken = queue.consume().take(n).collectList().block(PATIENCE);
        assertThat(taken).hasSize(n);
        return taken;
    }

    @Test
    void publishedCounterCountsEachPublishTaggedWithBrokerBackendAndTopic() {
        Queue<Job> jobs = broker("pub").queue(TOPIC, Job.class);

        StepVerifier.create(jobs.publish(new Job("a", 1))).expectNextCount(1).expectComplete().verify(PATIENCE);
        publishJobs(jobs, 2);

        assertThat(registry.find(BrokerMetrics.PUBLISHED)
                .tags("broker", "pub", "backend", "memory", "topic", TOPIC)
                .counter())
                .isNotNull()
                .satisfies(c -> assertThat(c.count()).isEqualTo(3.0));
    }

    @Test
    void settlingDeliveriesCountsConsumedAckedNackedAndDeadLettered() {
        Queue<Job> jobs = broker("settle").queue(TOPIC, Job.class);
        publishJobs(jobs, 4);

        List<Delivery<Job>> taken = take(jobs, 4);
        StepVerifier.create(taken.get(0).ack()
                        .then(taken.get(1).ack())
                        .then(taken.get(2).nack(Duration.ofMinutes(1)))
                        .then(taken.get(3).deadLetter("test")))
                .expectComplete()
                .verify(PATIENCE);

        assertThat(count(BrokerMetrics.CONSUMED, "settle", TOPIC)).isEqualTo(4.0);
        assertThat(count(BrokerMetrics.ACKED, "settle", TOPIC)).isEqualTo(2.0);
        assertThat(count(BrokerMetrics.NACKED, "settle", TOPIC)).isEqualTo(1.0);
        assertThat(count(BrokerMetrics.DEAD_LETTERED, "settle", TOPIC)).isEqualTo(1.0);
    }

    @Test
    void secondSettlementOfADeliveryCountsNothing() {
        Queue<Job> jobs = broker("once").queue(TOPIC, Job.class);
        publishJobs(jobs, 1);

        Delivery<Job> d = take(jobs, 1).get(0);
        StepVerifier.create(d.ack().then(d.ack()).then(d.nack()).then(d.deadLetter("late")))
                .expectComplete()
                .verify(PATIENCE);

        assertThat(count(BrokerMetrics.ACKED, "once", TOPIC)).isEqualTo(1.0);
        assertThat(count(BrokerMetrics.NACKED, "once", TOPIC)).isZero();
        assertThat(count(BrokerMetrics.DEAD_LETTERED, "once", TOPIC)).isZero();
    }

    @Test
    void poisonPayloadCountsAsDeadLetteredButNotConsumed() {
        Broker broker = broker("poison");
        Queue<String> raw = broker.queue(TOPIC, TEXT);
        Queue<Job> jobs = broker.queue(TOPIC, Job.class);
        StepVerifier.create(raw.publish("this is not JSON")).expectNextCount(1).expectComplete().verify(PATIENCE);
        publishJobs(jobs, 1);

        // Deliveries come in publish order: once the good job is out, the poison was handled.
        Delivery<Job> good = take(jobs, 1).get(0);

        assertThat(good.message().payload()).isEqualTo(new Job("job", 1));
        assertThat(count(BrokerMetrics.DEAD_LETTERED, "poison", TOPIC)).isEqualTo(1.0);
        assertThat(count(BrokerMetrics.CONSUMED, "poison", TOPIC)).isEqualTo(1.0);
        StepVerifier.create(jobs.deadLetters().count()).expectNext(1L).expectComplete().verify(PATIENCE);
    }

    @Test
    void handlerTimerRecordsSuccessesAndFailuresSeparately() {
        Queue<Job> jobs = broker("timed").queue(TOPIC, Job.class);
        publishJobs(jobs, 3);
        Handler<Job> failsOnTwo = m -> m.payload().n() == 2
                ? Mono.error(new PermanentException("job 2 can never succeed"))
                : Mono.empty();

        StepVerifier.create(jobs.consume().transform(Handle.concurrently(failsOnTwo)).take(3))
                .expectNextCount(3)
                .expectComplete()
                .verify(PATIENCE);

        assertThat(handlerTimer("timed", TOPIC, "success").count()).isEqualTo(2);
        assertThat(handlerTimer("timed", TOPIC, "failure").count()).isEqualTo(1);
        assertThat(count(BrokerMetrics.ACKED, "timed", TOPIC)).isEqualTo(2.0);
        assertThat(count(BrokerMetrics.DEAD_LETTERED, "timed", TOPIC)).isEqualTo(1.0);
    }

    @Test
    void queueDepthGaugeEqualsTheReadyCount() {
        Queue<Job> jobs = broker("depth").queue(TOPIC, Job.class);
        publishJobs(jobs, 5);
        take(jobs, 2);

        double depth = registry.get(BrokerMetrics.QUEUE_DEPTH)
                .tags("broker", "depth", "backend", "memory", "topic", TOPIC)
                .gauge()
                .value();
        QueueStats stats = jobs.stats().block(PATIENCE);

        assertThat(stats.ready()).isEqualTo(3);
        assertThat(stats.inFlight()).isEqualTo(2);
        assertThat(depth).isEqualTo(3.0);
    }

    @Test
    void brokerUpGaugeIsOneWhileOpen() {
        broker("up");

        assertThat(registry.get(BrokerMetrics.BROKER_UP).tags("broker", "up", "backend", "memory").gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void closingTheBrokerRemovesAllItsMeters() {
        Broker broker = broker("closing");
        Queue<Job> jobs = broker.queue(TOPIC, Job.class);
        publishJobs(jobs, 1);
        assertThat(metersOf("closing"))
                .extracting(Meter.Id::getName)
                .contains(BrokerMetrics.BROKER_UP, BrokerMetrics.QUEUE_DEPTH, BrokerMetrics.PUBLISHED,
                        BrokerMetrics.HANDLER_DURATION);

        StepVerifier.create(broker.close()).expectComplete().verify(PATIENCE);

        assertThat(registry.find(BrokerMetrics.BROKER_UP).tags("broker", "closing").gauge()).isNull();
        assertThat(registry.find(BrokerMetrics.PUBLISHED).tags("broker", "closing").counter()).isNull();
        assertThat(registry.find(BrokerMetrics.QUEUE_DEPTH).tags("broker", "closing").gauge()).isNull();
        assertThat(metersOf("closing")).isEmpty();
    }

    @Test
    void queueAskedForAfterCloseRegistersNoMeters() {
        Broker broker = broker("late");
        StepVerifier.create(broker.close()).expectComplete().verify(PATIENCE);

        broker.queue("metrics.after-close", Job.class);

        assertThat(metersOf("late")).isEmpty();
    }

    @Test
    void brokersWithDifferentNamesCountSeparately() {
        Queue<Job> a = broker("broker-a").queue(TOPIC, Job.class);
        Queue<Job> b = broker("broker-b").queue(TOPIC, Job.class);

        publishJobs(a, 2);
        publishJobs(b, 1);

        assertThat(count(BrokerMetrics.PUBLISHED, "broker-a", TOPIC)).isEqualTo(2.0);
        assertThat(count(BrokerMetrics.PUBLISHED, "broker-b", TOPIC)).isEqualTo(1.0);
    }

    @Test
    void closingOneBrokerKeepsTheMetersOfAnotherOnTheSameRegistry() {
        Broker a = broker("keep-a");
        Queue<Job> b = broker("keep-b").queue(TOPIC, Job.class);
        a.queue(TOPIC, Job.class);
        publishJobs(b, 1);

        StepVerifier.create(a.close()).expectComplete().verify(PATIENCE);

        assertThat(metersOf("keep-a")).isEmpty();
        assertThat(count(BrokerMetrics.PUBLISHED, "keep-b", TOPIC)).isEqualTo(1.0);
        assertThat(registry.get(BrokerMetrics.BROKER_UP).tags("broker", "keep-b").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void brokersOfTheSameNameShareMetersUntilTheLastOneCloses() {
        Broker first = broker("twin");
        Broker second = broker("twin");
        first.queue(TOPIC, Job.class);
        Queue<Job> queue = second.queue(TOPIC, Job.class);
        publishJobs(queue, 1);

        StepVerifier.create(first.close()).expectComplete().verify(PATIENCE);
        publishJobs(queue, 1);
        assertThat(count(BrokerMetrics.PUBLISHED, "twin", TOPIC)).isEqualTo(2.0);

        StepVerifier.create(second.close()).expectComplete().verify(PATIENCE);
        assertThat(metersOf("twin")).isEmpty();
    }
}
