package io.rivulet.kafka.internal;

import io.rivulet.core.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How a Rivulet message travels as a Kafka record: key = message key, value = payload, the
 * envelope in headers named {@code rivulet.*} (user headers keep their names). A record without
 * Rivulet headers (from a foreign producer) still reads: its id is {@code topic-partition-offset}.
 */
final class Envelope {

    static final String ID = "rivulet.id";
    static final String CREATED_AT = "rivulet.created-at";
    static final String AVAILABLE_AT = "rivulet.available-at";
    static final String PRIORITY = "rivulet.priority";
    static final String MAX_ATTEMPTS = "rivulet.max-attempts";
    static final String TIMEOUT = "rivulet.timeout-ms";
    static final String TAG = "rivulet.tag";
    static final String DEDUP_KEY = "rivulet.dedup-key";
    /** Deliveries the message had before this record was written (attempt of the next delivery minus one). */
    static final String DELIVERED = "rivulet.delivered";
    private static final String PREFIX = "rivulet.";

    private Envelope() {
    }

    /** The record for {@code m} on {@code topic}, stamped now, with {@code delivered} earlier deliveries. */
    static ProducerRecord<byte[], byte[]> record(String topic, Message<byte[]> m, int delivered, long now) {
        // Headers are added to the record's own (a record made with headers copies them).
        byte[] key = m.key() == null ? null : utf8(m.key());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, now, key, m.payload());
        Headers h = record.headers();
        m.headers().forEach((k, v) -> h.add(k, utf8(v)));
        h.add(ID, utf8(m.id()));
        if (m.createdAt() != null) {
            h.add(CREATED_AT, utf8(Long.toString(m.createdAt().toEpochMilli())));
        }
        if (m.availableAt() != null) {
            h.add(AVAILABLE_AT, utf8(Long.toString(m.availableAt().toEpochMilli())));
        }
        if (m.priority() != Message.DEFAULT_PRIORITY) {
            h.add(PRIORITY, utf8(Integer.toString(m.priority())));
        }
        if (m.maxAttempts() != Message.UNLIMITED_ATTEMPTS) {
            h.add(MAX_ATTEMPTS, utf8(Integer.toString(m.maxAttempts())));
        }
        if (m.timeout() != null) {
            h.add(TIMEOUT, utf8(Long.toString(m.timeout().toMillis())));
        }
        for (String tag : m.tags()) {
            h.add(TAG, utf8(tag));
        }
        if (!m.dedupKey().equals(m.id())) {
            h.add(DEDUP_KEY, utf8(m.dedupKey()));
        }
        if (delivered > 0) {
            h.add(DELIVERED, utf8(Integer.toString(delivered)));
        }
        return record;
    }

    /** The message a record holds, for {@code topic}, attempt 0 (set on delivery). */
    static Message<byte[]> message(String topic, ConsumerRecord<byte[], byte[]> r) {
        String id = null;
        Message.Builder<byte[]> b = Message.builder(r.value() == null ? new byte[0] : r.value()).topic(topic);
        long created = r.timestamp();
        for (Header header : r.headers()) {
            String name = header.key();
            byte[] v = header.value();
            if (!name.startsWith(PREFIX)) {
                b.header(name, text(v));
                continue;
            }
            switch (name) {
                case ID -> id = text(v);
                case CREATED_AT -> created = millis(v);
                case AVAILABLE_AT -> b.availableAt(Instant.ofEpochMilli(millis(v)));
                case PRIORITY -> b.priority(Integer.parseInt(text(v)));
                case MAX_ATTEMPTS -> b.maxAttempts(Integer.parseInt(text(v)));
                case TIMEOUT -> b.timeout(Duration.ofMillis(Long.parseLong(text(v))));
                case TAG -> b.tags(text(v));
                case DEDUP_KEY -> b.dedupKey(text(v));
                default -> {
                    // Rivulet's bookkeeping headers (delivered, dead-letter fields) are read where needed.
                }
            }
        }
        if (id == null) {
            id = r.topic() + "-" + r.partition() + "-" + r.offset();
        }
        b.id(id).createdAt(Instant.ofEpochMilli(created));
        if (r.key() != null) {
            b.key(new String(r.key(), StandardCharsets.UTF_8));
        }
        return b.build();
    }

    private static String text(byte[] v) {
        return v == null ? "" : new String(v, StandardCharsets.UTF_8);
    }

    /**
     * A time header (decimal epoch milliseconds, as {@link #record} writes it) read without making a
     * string first: it is on every record. Anything else is left to {@link Long#parseLong}.
     */
    static long millis(byte[] v) {
        if (v == null || v.length == 0 || v.length > 18) {
            return Long.parseLong(text(v));
        }
        long n = 0;
        for (byte c : v) {
            if (c < '0' || c > '9') {
                return Long.parseLong(text(v));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** A Rivulet header's text value, or {@code null}. */
    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Deliveries the record's message had before it was written. */
    static int delivered(ConsumerRecord<?, ?> r) {
        String v = header(r, DELIVERED);
        return v == null ? 0 : Integer.parseInt(v);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
