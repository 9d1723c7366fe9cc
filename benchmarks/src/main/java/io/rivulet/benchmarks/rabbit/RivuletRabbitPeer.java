package io.rivulet.benchmarks.rabbit;

import io.rivulet.core.Broker;
import io.rivulet.core.Codec;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.rabbit.RabbitBroker;
import io.rivulet.rabbit.RabbitOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Rivulet on RabbitMQ: {@code publishAll} (confirmed) and {@code consume} + {@code ack}, same settings as the peer. */
final class RivuletRabbitPeer implements RabbitPeerBenchmark.Peer {

    private static final Codec<byte[]> BYTES = Codec.bytes();

    @Override
    public String name() {
        return "Rivulet rabbit";
    }

    @Override
    public double run(String queue, int messages, byte[] payload, int window, int prefetch) throws Exception {
        Broker broker = RabbitBroker.create(RabbitOptions.builder().connectionName("bench-rivulet").build());
        try {
            Queue<byte[]> q = broker.queue(queue, BYTES);
            q.clear().block(Duration.ofSeconds(30)); // declares the topic's queues outside the timing
            CountDownLatch done = new CountDownLatch(messages);
            long start = System.nanoTime();
            Disposable consumer = q.consume(ConsumeOptions.builder().prefetch(prefetch).build())
                    .flatMap(d -> d.ack().doOnSuccess(v -> done.countDown()), prefetch)
                    .subscribe();
            q.publishAll(Flux.range(0, messages).map(i -> Message.of(payload)))
                    .then().block(Duration.ofMinutes(5));
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Rivulet consumer got only " + (messages - done.getCount()));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            consumer.dispose();
            return messages / seconds;
        } finally {
            broker.close().block(Duration.ofSeconds(30));
            RabbitPeerBenchmark.deleteQueues(queue);
        }
    }
}
