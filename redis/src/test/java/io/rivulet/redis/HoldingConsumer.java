package io.rivulet.redis;

import io.rivulet.core.Broker;
import io.rivulet.core.ConsumeOptions;
import io.rivulet.core.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A consumer process for the crash test: takes {@code n} messages of a topic without settling them,
 * prints {@code HOLDING <id>,<id>,...} and waits to be killed.
 *
 * <p>Arguments: key prefix, topic, n, visibility timeout in ms.
 */
public final class HoldingConsumer {

    private HoldingConsumer() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Never outlive the test: exit when its JVM goes (stdin closes).
        Thread guard = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the test never writes
                }
            } catch (java.io.IOException e) {
                // the pipe broke: the test is gone
            }
            System.exit(3);
        });
        guard.setDaemon(true);
        guard.start();
        String prefix = args[0];
        String topic = args[1];
        int n = Integer.parseInt(args[2]);
        Broker broker = RedisBroker.create(RedisOptions.builder().host(TestRedis.HOST).port(TestRedis.PORT)
                .keyPrefix(prefix).clientName("rivulet-test-holder")
                .visibilityTimeout(Duration.ofMillis(Long.parseLong(args[3]))).build());
        List<Delivery<String>> held = broker.queue(topic, String.class)
                .consume(ConsumeOptions.builder().prefetch(n).build())
                .take(n)
                .collectList()
                .block(Duration.ofSeconds(30));
        System.out.println("HOLDING " + held.stream().map(d -> d.message().id()).collect(Collectors.joining(",")));
        System.out.flush();
        // Until killed; a holder the test forgot exits after two minutes.
        new CountDownLatch(1).await(2, TimeUnit.MINUTES);
        System.exit(4);
    }
}
