package io.rivulet.rabbit.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes on one confirm-mode channel and completes each publish when the broker confirms it.
 * A broker nack or a return (unroutable, {@code mandatory}) fails the publish; a connection lost
 * before the confirm fails it with a retryable error, and the publish is sent again once the
 * connection has recovered (at least once), up to the confirm timeout.
 *
 * <p>{@code basicPublish} writes to the socket and can block under broker flow control, so it
 * runs on a dedicated single thread, never on the caller's.
 */
final class ConfirmPublisher {

    /** The connection went away before the confirm: publishing again is safe and needed. */
    static final class ConnectionLost extends IOException {
        ConnectionLost(String what) {
            super(what);
        }
    }

    private final Channel channel;
    private final String address;
    private final Duration confirmTimeout;
    private final Scheduler io;
    private final Scheduler confirms;
    private final Disposable sweeper;
    private final Object lock = new Object();
    private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

    private record Pending(MonoSink<Void> sink, String what, String routingKey, String messageId, boolean[] returned,
                           long sentAtNanos) {
    }

    ConfirmPublisher(Connection connection, String address, Duration confirmTimeout) throws IOException {
        this.channel = connection.createChannel();
        this.address = address;
        this.confirmTimeout = confirmTimeout;
        this.io = Schedulers.newSingle("rivulet-rabbit-publish", true);
        this.confirms = Schedulers.newSingle("rivulet-rabbit-confirm", true);
        channel.confirmSelect();
        channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
                (tag, multiple) -> settle(tag, multiple, "RabbitMQ at " + address + " refused (nacked)"));
        // A return comes before the confirm of the same publish, on the same thread: it belongs to
        // the oldest unconfirmed publish with that message id and routing key.
        channel.addReturnListener(r -> {
            for (Pending p : pending.values()) {
                if (!p.returned[0] && p.routingKey.equals(r.getRoutingKey())
                        && java.util.Objects.equals(p.messageId, r.getProperties().getMessageId())) {
                    p.returned[0] = true;
                    break;
                }
            }
        });
        channel.addShutdownListener(this::failAll);
        this.sweeper = Flux.interval(Duration.ofSeconds(1), Schedulers.parallel()).subscribe(t -> sweepUnconfirmed());
    }

    /**
     * Publishes persistently to {@code queue} through the default exchange; completes once confirmed.
     * {@code what} names the message in errors (never the payload).
     */
    Mono<Void> publish(String queue, AMQP.BasicProperties props, byte[] body, String what) {
        return publish("", queue, props, body, what);
    }

    /**
     * Publishes persistently to {@code exchange} with {@code routingKey}; completes once confirmed.
     * While the connection is lost the publish is sent again with a backoff until the confirm
     * timeout has passed since it was first tried; an unconfirmed publish older than the confirm
     * timeout is failed by a once-a-second sweep (no timer per publish).
     */
    Mono<Void> publish(String exchange, String queue, AMQP.BasicProperties props, byte[] body, String what) {
        Mono<Void> once = Mono.<Void>create(sink -> send(exchange, queue, props, body, what, sink)).subscribeOn(io);
        return Mono.defer(() -> attempt(once, System.nanoTime() + confirmTimeout.toNanos(), 50));
    }

    // onErrorResume rather than retryWhen: nothing extra is allocated on the fast path.
    private static Mono<Void> attempt(Mono<Void> once, long deadline, long backoffMillis) {
        return once.onErrorResume(e -> e instanceof ConnectionLost && System.nanoTime() < deadline
                ? Mono.delay(Duration.ofMillis(backoffMillis))
                        .then(Mono.defer(() -> attempt(once, deadline, Math.min(1_000, backoffMillis * 2))))
                : Mono.error(e));
    }

    private void sweepUnconfirmed() {
        long tooOld = System.nanoTime() - confirmTimeout.toNanos();
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (e.getValue().sentAtNanos - tooOld > 0) {
                break; // in sequence order, so every later one is younger
            }
            if (pending.remove(e.getKey(), e.getValue())) {
                e.getValue().sink.error(new TimeoutException("RabbitMQ at " + address + " did not confirm "
                        + e.getValue().what + " within " + confirmTimeout
                        + ": check the broker (disk/memory alarm?) or raise RabbitOptions.confirmTimeout"));
            }
        }
    }

    private void send(String exchange, String queue, AMQP.BasicProperties props, byte[] body, String what, MonoSink<Void> sink) {
        synchronized (lock) {
            long seq = channel.getNextPublishSeqNo();
            Pending p = new Pending(sink, what, queue, props.getMessageId(), new boolean[1], System.nanoTime());
            pending.put(seq, p);
            try {
                channel.basicPublish(exchange, queue, true, props, body);
            } catch (AlreadyClosedException | IOException e) {
                pending.remove(seq);
                sink.error(new ConnectionLost("connection to RabbitMQ at " + address + " lost while publishing "
                        + what));
            }
        }
    }

    /**
     * Confirms arrive on the connection's I/O thread: the publishes they complete are completed on
     * the confirm thread instead, one hand-off per confirm frame (which often covers many
     * publishes), so that no caller code (or blocking AMQP call) ever runs on the I/O thread.
     */
    private void settle(long tag, boolean multiple, String nackReason) {
        if (multiple) {
            ConcurrentNavigableMap<Long, Pending> head = pending.headMap(tag, true);
            java.util.List<Pending> done = new java.util.ArrayList<>();
            for (Map.Entry<Long, Pending> e : head.entrySet()) {
                if (pending.remove(e.getKey(), e.getValue())) {
                    done.add(e.getValue());
                }
            }
            if (!done.isEmpty()) {
                confirms.schedule(() -> done.forEach(p -> complete(p, nackReason)));
            }
        } else {
            Pending p = pending.remove(tag);
            if (p != null) {
                confirms.schedule(() -> complete(p, nackReason));
            }
        }
    }

    private static void complete(Pending p, String nackReason) {
        if (nackReason != null) {
            p.sink.error(new IllegalStateException(nackReason + " " + p.what
                    + ": the broker could not store it (queue limits, disk alarm?)"));
        } else if (p.returned[0]) {
            p.sink.error(new IllegalStateException("RabbitMQ returned " + p.what
                    + " as unroutable: no queue takes it (was the queue deleted, or a fan-out group unbound?)"));
        } else {
            p.sink.success();
        }
    }

    private void failAll(ShutdownSignalException cause) {
        synchronized (lock) {
            for (Long seq : pending.keySet()) {
                Pending p = pending.remove(seq);
                if (p != null) {
                    p.sink.error(new ConnectionLost("connection to RabbitMQ at " + address
                            + " lost before the confirm of " + p.what));
                }
            }
        }
    }

    /** Closes the channel (pending publishes fail) and the publishing thread. */
    void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            // closing anyway
        } finally {
            sweeper.dispose();
            io.dispose();
            confirms.dispose();
        }
    }
}
