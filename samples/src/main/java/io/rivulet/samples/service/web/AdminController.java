package io.rivulet.samples.service.web;

import io.rivulet.core.Broker;
import io.rivulet.core.Codec;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.JsonCodec;
import io.rivulet.core.Message;
import io.rivulet.core.PublishResult;
import io.rivulet.core.QueueStats;
import io.rivulet.core.WorkerStats;
import io.rivulet.samples.service.worker.WorkerService;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The admin API over the broker's queues. Reads are open; calls that change data (publish, replay,
 * purge, clear) need the admin bearer token ({@link AdminTokenFilter}). Dead letters are listed
 * without their payload unless {@code ?payload=true} is asked for, which also needs the token.
 * Everything is non-blocking and backpressured by the broker's admin API.
 */
@RestController
@RequestMapping("/admin")
public class AdminController {

    /** The most dead letters one listing returns. */
    public static final int MAX_LIST = 1000;

    private final Broker broker;
    private final WorkerService workers;

    /** The admin API of {@code broker}, with the stats of {@code workers}. */
    public AdminController(Broker broker, WorkerService workers) {
        this.broker = broker;
        this.workers = workers;
    }

    /**
     * One dead letter as the admin API shows it.
     *
     * @param id the message id
     * @param topic its topic
     * @param reason why it was dead-lettered
     * @param errorClass the error's class, or {@code null}
     * @param errorMessage the error's message, or {@code null}
     * @param attempts the attempts it had
     * @param replays how many times it was replayed
     * @param firstFailureAt when it first failed
     * @param lastFailureAt when it last failed
     * @param headers its headers
     * @param payloadBytes the encoded payload's size
     * @param payload the payload as text, only with {@code ?payload=true}
     */
    public record DeadLetterView(String id, String topic, String reason, String errorClass, String errorMessage,
                                 int attempts, int replays, Instant firstFailureAt, Instant lastFailureAt,
                                 Map<String, String> headers, int payloadBytes, String payload) {

        static DeadLetterView of(DeadLetter d, boolean withPayload) {
            return new DeadLetterView(d.id(), d.message().topic(), d.reason(), d.errorClass(), d.errorMessage(),
                    d.attempts(), d.replays(), d.firstFailureAt(), d.lastFailureAt(), d.message().headers(),
                    d.message().payload().length, withPayload ? d.payloadText() : null);
        }
    }

    /** Every queue the broker knows, with its counters. */
    @GetMapping("/queues")
    public Flux<QueueStats> queues() {
        return broker.admin().stats();
    }

    /** One queue's counters. */
    @GetMapping("/queues/{topic}")
    public Mono<QueueStats> queue(@PathVariable String topic) {
        return broker.admin().stats(topic);
    }

    /** Every worker's counters. */
    @GetMapping("/workers")
    public Flux<WorkerStats> workers() {
        return Flux.fromIterable(workers.topics()).mapNotNull(workers::stats);
    }

    /** A queue's counters every {@code intervalMillis} (default 1000), as Server-Sent Events, until the client goes. */
    @GetMapping(path = "/queues/{topic}/stats/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<QueueStats>> statsStream(@PathVariable String topic,
                                                         @RequestParam(defaultValue = "1000") long intervalMillis) {
        if (intervalMillis < 100 || intervalMillis > 60_000) {
            throw new IllegalArgumentException("intervalMillis must be between 100 and 60000, was " + intervalMillis);
        }
        broker.admin().deadLetters(topic); // validates the topic name before the stream starts
        return Flux.interval(Duration.ZERO, Duration.ofMillis(intervalMillis))
                .onBackpressureDrop()
                .concatMap(tick -> broker.admin().stats(topic), 1)
                .map(s -> ServerSentEvent.builder(s).event("stats").build());
    }

    /** Up to {@code limit} (default 100) dead letters of a topic, oldest first. */
    @GetMapping("/queues/{topic}/dead-letters")
    public Flux<DeadLetterView> deadLetters(@PathVariable String topic,
                                            @RequestParam(defaultValue = "100") int limit,
                                            @RequestParam(defaultValue = "false") boolean payload) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIST + ", was " + limit);
        }
        return broker.admin().deadLetters(topic).list(limit).map(d -> DeadLetterView.of(d, payload));
    }

    /** Replays one dead letter to its topic (attempts reset); 404 if there is none with that id. */
    @PostMapping("/queues/{topic}/dead-letters/{id}/replay")
    public Mono<Map<String, Object>> replay(@PathVariable String topic, @PathVariable String id) {
        return broker.admin().deadLetters(topic).replay(id).map(found -> {
            if (!found) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no dead letter " + id + " in '" + topic + "'");
            }
            return Map.of("topic", topic, "replayed", 1);
        });
    }

    /** Replays every dead letter of a topic. */
    @PostMapping("/queues/{topic}/dead-letters/replay")
    public Mono<Map<String, Object>> replayAll(@PathVariable String topic) {
        return broker.admin().deadLetters(topic).replayAll().map(n -> Map.of("topic", topic, "replayed", n));
    }

    /** Deletes every dead letter of a topic. */
    @DeleteMapping("/queues/{topic}/dead-letters")
    public Mono<Map<String, Object>> purge(@PathVariable String topic) {
        return broker.admin().deadLetters(topic).purge().map(n -> Map.of("topic", topic, "purged", n));
    }

    /** Deletes the ready and delayed messages of a queue (not in-flight ones, not dead letters). */
    @DeleteMapping("/queues/{topic}/messages")
    public Mono<Map<String, Object>> clear(@PathVariable String topic) {
        return broker.admin().clear(topic).map(n -> Map.of("topic", topic, "cleared", n));
    }

    /**
     * Publishes a stream of JSON payloads, one per line ({@code application/x-ndjson}), and streams
     * back one publish result per line as the broker confirms each: the request body flows into
     * {@link io.rivulet.core.Queue#publishAll} and its results flow out as the response, so a slow
     * broker slows the upload down (backpressure end to end) and nothing is buffered whole.
     */
    @PostMapping(path = "/queues/{topic}/messages", consumes = MediaType.APPLICATION_NDJSON_VALUE,
            produces = MediaType.APPLICATION_NDJSON_VALUE)
    public Flux<PublishResult> publishStream(@PathVariable String topic, @RequestBody Flux<JsonNode> payloads) {
        return broker.queue(topic, JsonCodec.of(JsonNode.class)).publishAll(payloads.map(Message::of));
    }

    /**
     * Publishes the request body, as is, to a topic: 202 with the publish result. Optional:
     * {@code id}, {@code key}, {@code priority} (0-9), {@code delayMillis}.
     */
    @PostMapping("/queues/{topic}/messages")
    public Mono<ResponseEntity<PublishResult>> publish(@PathVariable String topic, @RequestBody byte[] body,
                                                       @RequestParam(required = false) String id,
                                                       @RequestParam(required = false) String key,
                                                       @RequestParam(defaultValue = "0") int priority,
                                                       @RequestParam(defaultValue = "0") long delayMillis) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must be >= 0, was " + delayMillis);
        }
        Message.Builder<byte[]> m = Message.builder(body).key(key).priority(priority);
        if (id != null) {
            m.id(id);
        }
        var queue = broker.queue(topic, Codec.bytes());
        Mono<PublishResult> published = delayMillis == 0
                ? queue.publish(m.build())
                : queue.publishDelayed(m.build(), Duration.ofMillis(delayMillis));
        return published.map(r -> ResponseEntity.status(HttpStatus.ACCEPTED).body(r));
    }
}
