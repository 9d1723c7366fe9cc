package io.rivulet.samples.service.web;

import io.rivulet.samples.service.events.EventFeed;
import io.rivulet.samples.service.events.ProcessedEvent;
import java.time.Duration;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * What the workers did: {@code GET /events} streams it live as Server-Sent Events (the worker
 * pipeline's outcomes composed into a WebFlux response), {@code GET /events/recent} lists the last
 * ones. Both take an optional {@code topic} filter. Events carry ids and descriptions, never payloads.
 */
@RestController
public class EventsController {

    /** How often the live stream sends a keep-alive comment, so proxies keep an idle stream open. */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final EventFeed feed;

    /** The events of {@code feed}. */
    public EventsController(EventFeed feed) {
        this.feed = feed;
    }

    /**
     * Live events from now on, one Server-Sent Event each (event name: the kind), plus a keep-alive
     * comment every 15 s. Best-effort: a client that does not keep up misses events.
     */
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<ProcessedEvent>> live(@RequestParam(required = false) String topic) {
        Flux<ServerSentEvent<ProcessedEvent>> events = feed.live()
                .filter(e -> topic == null || e.topic().equals(topic))
                .onBackpressureDrop()
                .map(e -> ServerSentEvent.builder(e).id(e.messageId()).event(e.kind().name()).build());
        Flux<ServerSentEvent<ProcessedEvent>> keepAlive = Flux.interval(KEEP_ALIVE)
                .onBackpressureDrop()
                .map(i -> ServerSentEvent.<ProcessedEvent>builder().comment("keep-alive").build());
        return Flux.merge(events, keepAlive);
    }

    /** The last {@code limit} (default 100, at most {@value EventFeed#DEFAULT_CAPACITY}) events, oldest first. */
    @GetMapping("/events/recent")
    public List<ProcessedEvent> recent(@RequestParam(required = false) String topic,
                                       @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > EventFeed.DEFAULT_CAPACITY) {
            throw new IllegalArgumentException("limit must be between 1 and " + EventFeed.DEFAULT_CAPACITY
                    + ", was " + limit);
        }
        List<ProcessedEvent> all = feed.recent(EventFeed.DEFAULT_CAPACITY);
        List<ProcessedEvent> matching = topic == null ? all : all.stream().filter(e -> e.topic().equals(topic)).toList();
        return matching.subList(Math.max(0, matching.size() - limit), matching.size());
    }
}
