package io.rivulet.benchmarks.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The peer: plain amqp-client with the settings Rivulet uses — durable classic queue with
 * {@code x-max-priority}, persistent messages, publisher confirms with a window of in-flight
 * publishes, {@code mandatory}, prefetch, one manual ack per message.
 */
final class RawAmqpPeer implements RabbitPeerBenchmark.Peer {

    @Override
    public String name() {
        return "raw amqp-client 5.37.1";
    }

    @Override
    public double run(String queue, int messages, byte[] payload, int window, int prefetch) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        try (Connection c = f.newConnection("bench-raw")) {
            Channel admin = c.createChannel();
            admin.queueDeclare(queue, true, false, false, Map.of("x-max-priority", 9, "x-queue-type", "classic"));
            Channel consume = c.createChannel();
            consume.basicQos(prefetch, true);
            CountDownLatch done = new CountDownLatch(messages);
            long start = System.nanoTime();
            consume.basicConsume(queue, false, new DefaultConsumer(consume) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                        throws java.io.IOException {
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                    done.countDown();
                }
            });
            Channel publish = c.createChannel();
            publish.confirmSelect();
            Semaphore inFlight = new Semaphore(window);
            ConcurrentSkipListSet<Long> outstanding = new ConcurrentSkipListSet<>();
            publish.addConfirmListener((tag, multiple) -> release(outstanding, inFlight, tag, multiple),
                    (tag, multiple) -> {
                        throw new IllegalStateException("nacked " + tag);
                    });
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2).priority(0).build();
            for (int i = 0; i < messages; i++) {
                inFlight.acquire();
                outstanding.add(publish.getNextPublishSeqNo());
                publish.basicPublish("", queue, true, props, payload);
            }
            inFlight.acquire(window); // every confirm in
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("raw consumer got only " + (messages - done.getCount()));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            admin.queueDelete(queue);
            return messages / seconds;
        }
    }

    private static void release(ConcurrentSkipListSet<Long> outstanding, Semaphore inFlight, long tag, boolean multiple) {
        if (multiple) {
            int n = 0;
            while (!outstanding.isEmpty() && outstanding.first() <= tag) {
                if (outstanding.pollFirst() != null) {
                    n++;
                }
            }
            inFlight.release(n);
        } else if (outstanding.remove(tag)) {
            inFlight.release();
        }
    }
}
