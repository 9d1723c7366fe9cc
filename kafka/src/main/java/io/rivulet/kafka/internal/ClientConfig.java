package io.rivulet.kafka.internal;

import io.rivulet.kafka.KafkaOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The properties of every Kafka client the backend makes, from {@link KafkaOptions}. */
final class ClientConfig {

    private final KafkaOptions options;
    private final String clientId = "rivulet-" + UUID.randomUUID().toString().substring(0, 8);

    ClientConfig(KafkaOptions options) {
        this.options = options;
    }

    KafkaOptions options() {
        return options;
    }

    private Map<String, Object> common() {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        int timeout = (int) Math.min(Integer.MAX_VALUE, options.apiTimeout().toMillis());
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, Math.min(timeout, 30_000)));
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        String protocol = options.saslMechanism() == null
                ? (options.tls() ? "SSL" : "PLAINTEXT")
                : (options.tls() ? "SASL_SSL" : "SASL_PLAINTEXT");
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (options.saslMechanism() != null) {
            p.put(SaslConfigs.SASL_MECHANISM, options.saslMechanism());
            String module = options.saslMechanism().equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + quote(options.saslUsername())
                    + "\" password=\"" + quote(options.saslPassword()) + "\";");
        }
        if (options.truststoreLocation() != null) {
            p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, options.truststoreLocation());
            if (options.truststorePassword() != null) {
                p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, options.truststorePassword());
            }
        }
        return p;
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private Map<String, Object> withPassthrough(Map<String, Object> p) {
        p.putAll(options.clientProperties());
        return p;
    }

    /** Idempotent producer, {@code acks=all}. */
    Map<String, Object> producer() {
        Map<String, Object> p = common();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, options.apiTimeout().toMillis());
        int request = (int) p.get(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) Math.max(request + 5L, Math.min(Integer.MAX_VALUE, options.apiTimeout().toMillis())));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return withPassthrough(p);
    }

    /** A group member: manual commits, sticky assignment, from the earliest offset. */
    Map<String, Object> consumer(String group) {
        Map<String, Object> p = common();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + group);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.prefetch());
        // Eager sticky: Reactor Kafka fails commits during cooperative rebalances (reactor-kafka#314).
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, StickyAssignor.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return withPassthrough(p);
    }

    /** A reader without a group (dead letters). */
    Map<String, Object> reader() {
        Map<String, Object> p = consumer("unused");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-reader");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        return p;
    }

    Map<String, Object> admin() {
        Map<String, Object> p = common();
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
        return withPassthrough(p);
    }

    /** The group of a topic's consumers. */
    String group(String topic) {
        return options.consumerGroup() + "." + topic;
    }
}
