package io.rivulet.benchmarks.latency;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Raw amqp-client with the settings Rivulet's RabbitMQ backend uses: a durable classic queue with
 * {@code x-max-priority} 9; persistent messages published {@code mandatory} on a channel in
 * confirm mode (confirms are checked as they come, never waited for one by one); a consumer on a
 * channel of its own with prefetch {@value RivuletEndpoint#PREFETCH} and one manual
 * {@code basic.ack} per message, sent from the handler right after it recorded the arrival.
 */
final class RawAmqpEndpoint implements Endpoint {

    private static final AMQP.BasicProperties PERSISTENT =
            new AMQP.BasicProperties.Builder().deliveryMode(2).priority(0).build();

    private final String host;
    private final String queue;
    private final Connection connection;
    private final Channel publish;
    private final Channel consume;
    private final FirstFailure failure = new FirstFailure();

    RawAmqpEndpoint(String host, String queue) throws Exception {
        this.host = host;
        this.queue = queue;
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(host);
        connection = f.newConnection("latency-raw");
        publish = connection.createChannel();
        publish.queueDeclare(queue, true, false, false, Map.of("x-max-priority", 9, "x-queue-type", "classic"));
        publish.confirmSelect();
        publish.addConfirmListener((tag, multiple) -> { }, (tag, multiple) -> failed(
                new IllegalStateException("RabbitMQ nacked publish " + tag + " to " + queue)));
        publish.addReturnListener(r -> failed(new IllegalStateException("RabbitMQ returned a message to " + queue
                + ": " + r.getReplyText())));
        consume = connection.createChannel();
        consume.basicQos(RivuletEndpoint.PREFETCH, true);
    }

    @Override
    public String name() {
        return "raw amqp-client";
    }

    @Override
    public void start(Consumer<byte[]> handler) throws IOException {
        consume.basicConsume(queue, false, new DefaultConsumer(consume) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                handler.accept(body);
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }

    @Override
    public void send(byte[] payload) {
        try {
            publish.basicPublish("", queue, true, PERSISTENT, payload);
        } catch (IOException e) {
            failed(e);
        }
    }

    private void failed(Throwable e) {
        failure.record(e);
    }

    @Override
    public void check() {
        failure.check("raw amqp-client on RabbitMQ at " + host);
    }

    @Override
    public void close() {
        try {
            publish.queueDelete(queue);
            connection.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + queue + " on RabbitMQ at " + host, e);
        }
    }
}
