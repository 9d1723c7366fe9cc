package io.rivulet.core.spi;

import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.QueueStats;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * What a backend implements: byte-level storage and delivery of messages. Users never call it;
 * {@link io.rivulet.core.Brokers#create(Backend, io.rivulet.core.BrokerOptions)} wraps it into a
 * {@link io.rivulet.core.Broker} that adds codecs, dedup, poison handling, exactly-once
 * settlement guards, closed-state checks and metrics, identically for every backend.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Every method is lazy, non-blocking and safe to call from any thread.</li>
 *   <li>{@link #publish} completes only once the message is durable to the backend's standard
 *       (stored in memory, written to Redis, acknowledged by Kafka, confirmed by RabbitMQ). A
 *       message with {@code availableAt} in the future is not delivered before then.</li>
 *   <li>{@link #consume} emits no more than {@code prefetch} unsettled deliveries and never more
 *       than requested; a message is delivered to one consumer of a topic at a time; the attempt
 *       of each delivery is one more than the previous delivery's (1 on the first), unless a
 *       {@link BackendDelivery#nack} set it. Higher priority first, then publish order.</li>
 *   <li>A delivery that is never settled comes back after a backend-defined visibility timeout
 *       or connection loss, with its attempt increased.</li>
 *   <li>Settlement methods of {@link BackendDelivery} are called at most once per delivery by
 *       core (it guards double settlement).</li>
 *   <li>Dead letters keep the encoded message and are per topic.</li>
 *   <li>Time ({@code createdAt}, delays, TTLs, counters) comes from {@link #scheduler()}, so a
 *       virtual-time scheduler controls it in tests where the backend allows it.</li>
 * </ul>
 */
public interface Backend {

    /** The backend's name: {@code memory}, {@code redis}, {@code kafka} or {@code rabbit}. */
    String name();

    /** The scheduler whose clock is "now" for this backend and on which its timers run. */
    Scheduler scheduler();

    /**
     * Stores one encoded message, topic and id set, for delivery at or after its {@code availableAt}.
     * Its {@code attempt} is 1, the attempt of its first delivery.
     */
    Mono<Void> publish(Message<byte[]> message);

    /**
     * Stores a stream of encoded messages in order, emitting each message once it is stored (as
     * {@link #publish} would complete), in the order received. Requests from {@code messages} only
     * as results are requested, with a bounded number in flight. An error of one publish, or of
     * {@code messages} itself (a message that could not be encoded), ends the returned Flux only
     * after the results of every message before it: whatever was stored is reported. The default
     * pipelines up to {@link #PUBLISH_WINDOW} {@link #publish} calls and keeps that contract; a
     * backend that can store synchronously or in batches overrides it, and must keep it too.
     */
    default Flux<Message<byte[]>> publishAll(Flux<Message<byte[]>> messages) {
        return InOrderPublishes.publish(messages, this::publish, PUBLISH_WINDOW);
    }

    /** How many publishes {@link #publishAll} keeps in flight by default. */
    int PUBLISH_WINDOW = 256;

    /**
     * Delivers messages of a topic, at most {@code prefetch} unsettled at once. Cancelling stops
     * delivery; emitted deliveries remain settleable.
     */
    Flux<BackendDelivery> consume(String topic, int prefetch);

    /** A topic's counters. */
    Mono<QueueStats> stats(String topic);

    /** A cheap, possibly stale count of ready messages, for gauges. Must not block. */
    long readyHint(String topic);

    /** Every topic the backend knows of. */
    Flux<String> topics();

    /** Deletes ready and delayed messages of a topic; emits how many. */
    Mono<Long> clear(String topic);

    /** Lists up to {@code limit} dead letters of a topic, oldest first. */
    Flux<DeadLetter> deadLetters(String topic, int limit);

    /** Counts a topic's dead letters. */
    Mono<Long> deadLetterCount(String topic);

    /**
     * Removes the dead letter with id {@code id} and publishes
     * {@link ReservedHeaders#replayOf(DeadLetter)} of it to its topic, so no message is lost or
     * doubled; emits whether one existed.
     */
    Mono<Boolean> replayDeadLetter(String topic, String id);

    /** Replays every dead letter of a topic as {@link #replayDeadLetter} does; emits how many. */
    Mono<Long> replayAllDeadLetters(String topic);

    /** Deletes every dead letter of a topic; emits how many. */
    Mono<Long> purgeDeadLetters(String topic);

    /**
     * Sets {@code key} with a time to live if it is not set (Redis {@code SET NX PX}); emits
     * {@code true} if this call set it.
     */
    Mono<Boolean> setIfAbsent(String key, Duration ttl);

    /** Whether {@code key} is set and not expired. */
    Mono<Boolean> exists(String key);

    /** Deletes {@code key} (a publish whose dedup key was set failed to store); no error if absent. */
    Mono<Void> delete(String key);

    /** Releases every resource; open consumers complete. Idempotent. */
    Mono<Void> close();
}
