package io.rivulet.benchmarks.latency;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rivulet.benchmarks.redis.RedisKeys;
import io.rivulet.core.Broker;
import io.rivulet.core.BrokerOptions;
import io.rivulet.core.Codec;
import io.rivulet.core.memory.MemoryBroker;
import io.rivulet.core.memory.MemoryOptions;
import io.rivulet.kafka.KafkaBroker;
import io.rivulet.kafka.KafkaOptions;
import io.rivulet.rabbit.RabbitBroker;
import io.rivulet.rabbit.RabbitOptions;
import io.rivulet.redis.RedisBroker;
import io.rivulet.redis.RedisOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import reactor.core.scheduler.Schedulers;

/** Builds the Rivulet endpoint and its raw peer of each backend, each on a queue of its own. */
final class Backends {

    static final String MEMORY = "memory";
    static final String REDIS = "redis";
    static final String KAFKA = "kafka";
    static final String RABBIT = "rabbit";

    private Backends() {
    }

    static Endpoint rivuletMemory() {
        Broker broker = MemoryBroker.create(MemoryOptions.defaults(),
                BrokerOptions.builder().name("latency").meterRegistry(new SimpleMeterRegistry()).build());
        return new RivuletEndpoint(broker, "bench.latency", Schedulers.newSingle("latency-rivulet-consumer"),
                () -> { });
    }

    static Endpoint sinks() {
        return new SinksEndpoint();
    }

    static Endpoint rivuletRedis(String host, int port) {
        String prefix = prefix();
        Broker broker = RedisBroker.create(RedisOptions.builder().host(host).port(port).keyPrefix(prefix)
                .clientName("rivulet-latency").build());
        return new RivuletEndpoint(broker, "bench.latency", null,
                () -> RedisKeys.delete(host, port, prefix));
    }

    static Endpoint rawLettuce(String host, int port) {
        return new RawLettuceEndpoint(host, port, prefix(), "bench.latency");
    }

    private static String prefix() {
        return "rivulet-latency-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    static Endpoint rivuletKafka(String bootstrap) {
        String topic = kafkaTopic(bootstrap, "rivulet");
        Broker broker = KafkaBroker.create(KafkaOptions.builder().bootstrapServers(bootstrap).build());
        return new RivuletEndpoint(broker, topic, null, () -> { });
    }

    static Endpoint rawKafka(String bootstrap) {
        String topic = kafkaTopic(bootstrap, "raw");
        return new RawKafkaEndpoint(bootstrap, topic, "latency-raw." + topic);
    }

    /** A new one-partition topic (the brokers the benchmarks start are thrown away after the run). */
    private static String kafkaTopic(String bootstrap, String side) {
        String topic = "bench.latency." + side + "." + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + topic + " on Kafka at " + bootstrap, e);
        }
        return topic;
    }

    static Endpoint rivuletRabbit(String host) {
        String topic = rabbitQueue();
        Broker broker = RabbitBroker.create(RabbitOptions.builder().host(host).connectionName("latency-rivulet")
                .build());
        // Declares the topic's queues before anything is measured.
        broker.queue(topic, Codec.bytes()).clear().block(Duration.ofSeconds(30));
        return new RivuletEndpoint(broker, topic, null, () -> deleteRabbitQueues(host, topic));
    }

    static Endpoint rawAmqp(String host) throws Exception {
        return new RawAmqpEndpoint(host, rabbitQueue());
    }

    private static String rabbitQueue() {
        return "bench.latency." + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Deletes the queues a Rivulet topic made: the work queue, its dead letters, the default delay tiers. */
    private static void deleteRabbitQueues(String host, String topic) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(host);
        try (Connection c = f.newConnection("latency-cleanup")) {
            Channel ch = c.createChannel();
            ch.queueDelete(topic);
            ch.queueDelete(topic + ".dlq");
            for (Duration tier : RabbitOptions.DEFAULT_DELAY_TIERS) {
                ch.queueDelete(topic + ".delay." + tier.toMillis() + "ms");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the queues of " + topic + " on RabbitMQ at " + host, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("RabbitMQ at " + host + " did not answer while deleting " + topic, e);
        }
    }
}
