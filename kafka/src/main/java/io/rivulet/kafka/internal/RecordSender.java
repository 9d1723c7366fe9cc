package io.rivulet.kafka.internal;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The backend's one {@link KafkaProducer}, used directly: a record is handed to
 * {@link Producer#send} on the publishing thread, and its acknowledgement, which Kafka reports on
 * its network thread, is passed on from this sender's own thread ({@code <client id>-results};
 * {@link #sendAll} builds and sends the records after the first window on {@code <client id>-sends}),
 * so that no user code ever runs on (or blocks) Kafka's network thread. The producer is created on
 * first use, so a wrong address fails the first publish, not the broker's creation.
 *
 * <p>Reactor Kafka's sender was used before: it wrapped every record in a second record (copying
 * its headers) and every acknowledgement in a response object, and it passed each through an
 * operator chain; the producer itself is all that publishing needs (issue #4, docs/kafka.md).
 */
final class RecordSender {

    /** Records {@link #sendAll} may have unacknowledged (or acknowledged and not yet requested downstream). */
    static final int WINDOW = 8192;

    private final Map<String, Object> config;
    private final Scheduler results;
    private final Scheduler sends;
    private Producer<byte[], byte[]> producer;
    private boolean closed;

    RecordSender(Map<String, Object> config, String name) {
        this.config = Map.copyOf(config);
        this.results = Schedulers.newSingle(name + "-results", true);
        this.sends = Schedulers.newSingle(name + "-sends", true);
    }

    /** The producer, created on first use; fails if this sender is closed or the producer cannot be made. */
    synchronized Producer<byte[], byte[]> producer() {
        if (closed) {
            throw new IllegalStateException("Cannot send: the producer is closed");
        }
        if (producer == null) {
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    /** Sends one record; completes (on this sender's thread) once Kafka acknowledged it, or fails with Kafka's error. */
    Mono<Void> send(ProducerRecord<byte[], byte[]> record) {
        Objects.requireNonNull(record, "record");
        return Mono.defer(() -> {
            Producer<byte[], byte[]> p;
            try {
                p = producer();
            } catch (RuntimeException e) {
                return Mono.error(e);
            }
            return Mono.<Void>create(sink -> {
                try {
                    p.send(record, (metadata, e) -> {
                        if (e == null) {
                            sink.success();
                        } else {
                            sink.error(e);
                        }
                    });
                } catch (RuntimeException e) {
                    sink.error(e);
                }
            }).publishOn(results);
        });
    }

    /**
     * Sends every record of {@code outgoing} with at most {@link #WINDOW} unacknowledged, and emits
     * each record's value in input order once Kafka acknowledged it (and every earlier one). The
     * first failed record ends the stream with Kafka's error, after the values before it; so does an
     * upstream error, after every record sent before it is acknowledged. Signals come from this
     * sender's thread, never from Kafka's network thread.
     *
     * @param failure the error to end with when Kafka fails the record of a value, or (value
     *                {@code null}) the producer cannot be made; upstream errors pass unchanged
     */
    <T> Flux<T> sendAll(Flux<Outgoing<T>> outgoing, BiFunction<Throwable, T, ? extends Throwable> failure) {
        return Flux.defer(() -> {
            Producer<byte[], byte[]> p;
            try {
                p = producer();
            } catch (RuntimeException e) {
                return Flux.error(failure.apply(e, null));
            }
            Producer<byte[], byte[]> used = p;
            return new Flux<T>() {
                @Override
                public void subscribe(CoreSubscriber<? super T> actual) {
                    outgoing.subscribe(new OrderedSends<>(used, results.createWorker(), sends.createWorker(), actual, WINDOW, failure));
                }
            };
        });
    }

    /** A record to send and the value to emit once it is acknowledged. */
    record Outgoing<T>(ProducerRecord<byte[], byte[]> record, T value) {
    }

    /**
     * Closes the producer, waiting for what it has buffered to be acknowledged or to fail (after
     * {@code delivery.timeout.ms} at most). Blocks: call it where blocking is allowed.
     */
    void close() {
        Producer<byte[], byte[]> p;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            p = producer;
        }
        try {
            if (p != null) {
                p.close();
            }
        } finally {
            // Acknowledgements reported while closing are still passed on before the thread ends.
            results.disposeGracefully().subscribe(v -> { }, e -> results.dispose());
            sends.disposeGracefully().subscribe(v -> { }, e -> sends.dispose());
        }
    }
}
