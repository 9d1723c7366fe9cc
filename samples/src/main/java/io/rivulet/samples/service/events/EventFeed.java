package io.rivulet.samples.service.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * What the worker service's handlers did, recently and live: a bounded history plus a hot stream.
 *
 * <p>{@link #record} is thread-safe and never blocks for long (a short lock around the history and
 * the emission). {@link #live()} is hot and best-effort: a subscriber that does not keep up misses
 * events rather than slowing the handlers down; nothing is replayed to late subscribers (use
 * {@link #recent(int)} for history).
 */
public final class EventFeed {

    /** How many events the history keeps by default. */
    public static final int DEFAULT_CAPACITY = 1000;

    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<ProcessedEvent> history;
    private final Sinks.Many<ProcessedEvent> sink = Sinks.many().multicast().directBestEffort();

    /** A feed keeping the last {@code capacity} events, stamped by {@code clock}. */
    public EventFeed(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
        this.history = new ArrayDeque<>(capacity);
    }

    /** Records an event now; returns it. */
    public ProcessedEvent record(String topic, String messageId, int attempt, ProcessedEvent.Kind kind, String detail) {
        ProcessedEvent event = new ProcessedEvent(clock.instant(), topic, messageId, attempt, kind, detail);
        synchronized (history) {
            if (history.size() == capacity) {
                history.removeFirst();
            }
            history.addLast(event);
            // Under the lock: the sink must not be signalled from two threads at once.
            sink.tryEmitNext(event);
        }
        return event;
    }

    /** The last {@code limit} events, oldest first. */
    public List<ProcessedEvent> recent(int limit) {
        synchronized (history) {
            List<ProcessedEvent> all = new ArrayList<>(history);
            return all.subList(Math.max(0, all.size() - limit), all.size());
        }
    }

    /** Events as they happen, from subscription on (hot, best-effort; see the class comment). */
    public Flux<ProcessedEvent> live() {
        return sink.asFlux();
    }
}
