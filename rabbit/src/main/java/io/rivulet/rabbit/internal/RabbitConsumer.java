package io.rivulet.rabbit.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One subscription to a topic: its own channel with {@code basic.qos(prefetch)} and a manual-ack
 * {@code basic.consume}. The broker pushes at most {@code prefetch} unacknowledged messages; they
 * wait in a small buffer and are emitted only as the subscriber requests them.
 *
 * <p>On cancel the consumer is cancelled at the broker, buffered (never emitted) messages are
 * returned unchanged, and the channel stays open until every emitted delivery is settled or its
 * visibility timeout passed (emitted deliveries remain settleable). A delivery unsettled after the
 * visibility timeout is returned as its next attempt. A message that comes back from a delay tier
 * before it is due is routed to the next tier instead of being emitted.
 *
 * <p>Connection loss: amqp-client's recovery reopens the channel and re-registers the consumer;
 * the broker redelivers what was unacknowledged (attempt + 1), so buffered deliveries of the lost
 * channel are dropped here, and settling an emitted one only affects the copy that comes back.
 */
final class RabbitConsumer {

    private final RabbitBackend backend;
    private final String topic;
    private final int prefetch;
    private final Queue<RabbitDelivery> buffer = new ConcurrentLinkedQueue<>();
    private final Set<RabbitDelivery> unsettled = ConcurrentHashMap.newKeySet();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger returning = new AtomicInteger();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean channelClosed = new AtomicBoolean();
    private volatile boolean brokerCancelled;
    private final boolean dynamicQos;
    private final AtomicBoolean qosScheduled = new AtomicBoolean();
    private volatile int appliedQos;
    private volatile FluxSink<BackendDelivery> sink;
    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile Disposable sweeper;
    // Every operation on the channel (open, QoS, cancel, close) runs here, one at a time: amqp-client
    // can send a basic.cancel after a concurrent close, which the broker answers by closing the connection.
    private final reactor.core.scheduler.Scheduler.Worker ops = Schedulers.boundedElastic().createWorker();

    RabbitConsumer(RabbitBackend backend, String topic, int prefetch) {
        this.backend = backend;
        this.topic = topic;
        this.prefetch = prefetch;
        // Quorum queues refuse channel-wide (global) QoS, the only kind that can change mid-consume.
        this.dynamicQos = backend.options().queueType() == io.rivulet.rabbit.RabbitOptions.QueueType.CLASSIC;
    }

    RabbitBackend backend() {
        return backend;
    }

    Flux<BackendDelivery> flux() {
        return Flux.create(s -> {
            sink = s;
            s.onRequest(n -> {
                addRequest(n);
                // Emit on another thread than the requester's: a subscriber that requests from inside
                // a completion callback does not receive (and start work) before that callback ends.
                if (!buffer.isEmpty()) {
                    Schedulers.parallel().schedule(this::drain);
                }
                adjustQos();
            });
            s.onDispose(this::cancel);
            ops.schedule(this::open);
        });
    }

    private void open() {
        try {
            Channel ch = backend.connection().createChannel();
            channel = ch;
            if (dynamicQos) {
                appliedQos = qosTarget();
                ch.basicQos(appliedQos, true);
            } else {
                ch.basicQos(prefetch);
            }
            consumerTag = ch.basicConsume(topic, false, new Receiver(ch));
            backend.register(this);
            Duration vis = backend.options().visibilityTimeout();
            long period = Math.max(50, Math.min(1000, vis.toMillis() / 4));
            sweeper = Flux.interval(Duration.ofMillis(period), backend.scheduler())
                    .subscribe(t -> sweep(), e -> { });
            if (cancelled.get()) {
                cancel0();
            }
        } catch (Exception e) {
            if (backend.isClosed()) {
                sink.complete();
                return;
            }
            sink.error(new IllegalStateException("Cannot consume '" + topic + "' from RabbitMQ at "
                    + backend.options().address() + ": " + Topology.rootMessage(e), e));
        }
    }

    /**
     * How many unacknowledged messages the broker may push: what is emitted and unsettled plus what
     * the subscriber asked for, capped by the prefetch, at least 1. Demand thus drives fetching, and
     * competing consumers that ask for little do not hoard a queue's messages.
     */
    private int qosTarget() {
        long wanted = (long) unsettled.size() + Math.min(requested.get(), prefetch);
        return (int) Math.max(1, Math.min(prefetch, wanted));
    }

    /**
     * Raises the channel's QoS when demand grew beyond it; never lowers it, as operators replenish
     * demand in batches and lowering would cost a {@code basic.qos} round trip (and throughput)
     * each time. The RPC runs on this consumer's channel worker, one at a time.
     */
    private void adjustQos() {
        if (!dynamicQos || channel == null || cancelled.get()) {
            return;
        }
        if (qosTarget() > appliedQos && qosScheduled.compareAndSet(false, true)) {
            ops.schedule(() -> {
                try {
                    int t = qosTarget();
                    Channel ch = channel;
                    if (t > appliedQos && ch != null && ch.isOpen() && !cancelled.get()) {
                        ch.basicQos(t, true);
                        appliedQos = t;
                    }
                } catch (Exception e) {
                    // channel closing or recovering: recovery re-applies the last QoS
                } finally {
                    qosScheduled.set(false);
                }
                int again = qosTarget();
                if (again > appliedQos) {
                    adjustQos();
                }
            });
        }
    }

    private void addRequest(long n) {
        requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n);
    }

    private final class Receiver extends DefaultConsumer {
        Receiver(Channel ch) {
            super(ch);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            received(envelope, props, body);
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
            lostChannel();
        }

        @Override
        public void handleCancelOk(String tag) {
            // Dispatched after every delivery that came before the cancel: nothing more will come.
            brokerCancelled = true;
            giveBackBuffered();
        }

        @Override
        public void handleCancel(String tag) {
            // The queue was deleted: nothing more will come.
            FluxSink<BackendDelivery> s = sink;
            if (s != null) {
                s.complete();
            }
        }
    }

    private void received(Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        long deliveryTag = envelope.getDeliveryTag();
        Long due = Envelopes.availableAt(props);
        if (due != null && due > backend.scheduler().now(TimeUnit.MILLISECONDS)) {
            // Back from a delay tier early: on to the next tier, then ack this copy.
            returning.incrementAndGet();
            backend.reroute(topic, props, body)
                    .doOnSuccess(v -> ackQuietly(deliveryTag))
                    .doFinally(s -> returned())
                    .subscribe(v -> { }, e -> { });
            return;
        }
        Message<byte[]> message;
        try {
            message = Envelopes.message(topic, props, body, envelope.isRedeliver());
        } catch (RuntimeException e) {
            message = Message.builder(body).id(props.getMessageId() == null ? "amqp-" + deliveryTag
                    : props.getMessageId()).topic(topic).attempt(1).build();
        }
        // After a cancel the delivery waits in the buffer too: it is given back, in order, once the
        // broker confirmed the cancel (giving it back now could hand it to this very consumer again).
        buffer.offer(new RabbitDelivery(this, message, deliveryTag));
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (requested.get() > 0 && !cancelled.get()) {
                RabbitDelivery d = buffer.poll();
                if (d == null) {
                    break;
                }
                if (requested.get() != Long.MAX_VALUE) {
                    requested.decrementAndGet();
                }
                d.emittedAtMillis = backend.scheduler().now(TimeUnit.MILLISECONDS);
                d.emitted = true;
                unsettled.add(d);
                backend.counters(topic).inFlight.increment();
                sink.next(d);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Acks a settled delivery at the broker (after its copy, if any, was confirmed). */
    void ack(RabbitDelivery d) {
        ackQuietly(d.tag());
        if (unsettled.remove(d)) {
            backend.counters(topic).inFlight.decrement();
        }
        maybeCloseChannel();
    }

    /** A settlement whose copy could not be published: the delivery stays unsettled and claimable. */
    void unclaimedAfterError(RabbitDelivery d, AtomicBoolean claimed) {
        claimed.set(false);
    }

    private void ackQuietly(long deliveryTag) {
        Channel ch = channel;
        try {
            if (ch != null && ch.isOpen()) {
                ch.basicAck(deliveryTag, false);
            }
        } catch (Exception e) {
            // The channel went away: the broker redelivers the message, at least once.
        }
    }

    private void sweep() {
        long now = backend.scheduler().now(TimeUnit.MILLISECONDS);
        long vis = backend.options().visibilityTimeout().toMillis();
        for (RabbitDelivery d : unsettled) {
            if (!d.isClaimed() && now - d.emittedAtMillis >= vis) {
                d.expire().subscribe(v -> { }, e -> { });
            }
        }
    }

    private void lostChannel() {
        // Unacked messages of the lost channel come back from the broker: forget the buffered ones.
        RabbitDelivery d;
        while ((d = buffer.poll()) != null) {
            // dropped: the broker redelivers it
        }
        // Emitted ones come back too: settling them now must not publish a second copy.
        for (RabbitDelivery e : unsettled) {
            if (e.abandon() && unsettled.remove(e)) {
                backend.counters(topic).inFlight.decrement();
            }
        }
        maybeCloseChannel();
    }

    /** Stops delivery: cancels at the broker and returns what was buffered but never emitted. */
    void cancel() {
        if (cancelled.compareAndSet(false, true) && channel != null) {
            ops.schedule(this::cancel0);
        }
    }

    private void cancel0() {
        Channel ch = channel;
        try {
            if (ch != null && ch.isOpen() && consumerTag != null) {
                ch.basicCancel(consumerTag); // handleCancelOk gives back what was buffered
                return;
            }
        } catch (Exception e) {
            // the channel is gone: the broker returns its messages itself
        }
        brokerCancelled = true;
        maybeCloseChannel();
    }

    /** Returns what was received but never emitted, unchanged and one after another, so in order. */
    private void giveBackBuffered() {
        returning.incrementAndGet(); // keeps the channel open while the buffer moves to the list
        List<RabbitDelivery> back = new ArrayList<>();
        RabbitDelivery d;
        while ((d = buffer.poll()) != null) {
            back.add(d);
        }
        returning.addAndGet(back.size());
        returned();
        Flux.fromIterable(back)
                .concatMap(r -> r.release().onErrorResume(e -> Mono.empty()).doFinally(s -> returned()))
                .subscribe();
    }

    private void returned() {
        returning.decrementAndGet();
        maybeCloseChannel();
    }

    /** Completes the subscriber (broker closing); emitted deliveries stay settleable until closed. */
    void complete() {
        FluxSink<BackendDelivery> s = sink;
        if (s != null) {
            s.complete();
        }
        cancel();
    }

    private void maybeCloseChannel() {
        if (brokerCancelled && buffer.isEmpty() && unsettled.isEmpty() && returning.get() == 0 && channelClosed.compareAndSet(false, true)) {
            Disposable sw = sweeper;
            if (sw != null) {
                sw.dispose();
            }
            backend.unregister(this);
            Channel ch = channel;
            if (ch != null) {
                ops.schedule(() -> {
                    Topology.closeQuietly(ch);
                    ops.dispose();
                });
            }
        }
    }

    /**
     * Closes the channel (broker closing): unsettled deliveries go back to the queue. Runs after
     * any pending channel operation of this consumer, and waits for it (bounded).
     */
    void closeNow() {
        Disposable sw = sweeper;
        if (sw != null) {
            sw.dispose();
        }
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        try {
            ops.schedule(() -> {
                Channel ch = channel;
                if (ch != null) {
                    Topology.closeQuietly(ch);
                }
                closed.countDown();
            });
            closed.await(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException alreadyClosed) {
            // the channel was closed already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ops.dispose();
        }
    }
}
