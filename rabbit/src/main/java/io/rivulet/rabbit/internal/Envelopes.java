package io.rivulet.rabbit.internal;

import com.rabbitmq.client.AMQP;
import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.spi.DeadLetterRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a Rivulet message to AMQP properties and back. Rivulet's envelope fields travel in
 * {@code rivulet-*} headers (AMQP's timestamp has only second precision); user headers travel
 * as they are. Dead-letter facts travel in {@code rivulet-dl-*} headers of the copy in the DLQ.
 */
final class Envelopes {

    static final String ATTEMPT = "rivulet-attempt";
    static final String KEY = "rivulet-key";
    static final String TAGS = "rivulet-tags";
    static final String CREATED_AT = "rivulet-created-at";
    static final String AVAILABLE_AT = "rivulet-available-at";
    static final String MAX_ATTEMPTS = "rivulet-max-attempts";
    static final String TIMEOUT_MS = "rivulet-timeout-ms";
    static final String DEDUP_KEY = "rivulet-dedup-key";
    static final String DL_REASON = "rivulet-dl-reason";
    static final String DL_ERROR_CLASS = "rivulet-dl-error-class";
    static final String DL_ERROR_MESSAGE = "rivulet-dl-error-message";
    static final String DL_ATTEMPTS = "rivulet-dl-attempts";
    static final String DL_FIRST = "rivulet-dl-first-failure";
    static final String DL_LAST = "rivulet-dl-last-failure";
    static final String DL_REPLAYS = "rivulet-dl-replays";
    static final String QUORUM_DELIVERY_COUNT = "x-delivery-count";

    private static final int MAX_ERROR_MESSAGE = 4096;
    private static final int PERSISTENT = 2;

    private Envelopes() {
    }

    /** Properties of {@code m}, to be delivered next as attempt {@code nextAttempt} (at least 1). */
    static AMQP.BasicProperties properties(Message<byte[]> m, int nextAttempt) {
        return properties(m, nextAttempt, null);
    }

    /** As {@link #properties(Message, int)}, plus extra headers (dead-letter facts). */
    static AMQP.BasicProperties properties(Message<byte[]> m, int nextAttempt, Map<String, Object> extra) {
        Map<String, Object> headers = new HashMap<>(m.headers().size() + 8);
        headers.putAll(m.headers());
        if (nextAttempt > 1) {
            headers.put(ATTEMPT, nextAttempt); // absent means 1: fewer bytes for the broker to handle
        }
        Instant created = m.createdAt();
        // Epoch millis when exact (the usual case: core stamps milliseconds), ISO-8601 otherwise.
        headers.put(CREATED_AT, created.getNano() % 1_000_000 == 0 ? (Object) created.toEpochMilli() : created.toString());
        if (m.key() != null) {
            headers.put(KEY, m.key());
        }
        if (!m.tags().isEmpty()) {
            headers.put(TAGS, new ArrayList<Object>(m.tags()));
        }
        if (m.availableAt() != null) {
            headers.put(AVAILABLE_AT, m.availableAt().toEpochMilli());
        }
        if (m.maxAttempts() != Message.UNLIMITED_ATTEMPTS) {
            headers.put(MAX_ATTEMPTS, m.maxAttempts());
        }
        if (m.timeout() != null) {
            headers.put(TIMEOUT_MS, m.timeout().toMillis());
        }
        if (!m.dedupKey().equals(m.id())) {
            headers.put(DEDUP_KEY, m.dedupKey());
        }
        if (extra != null) {
            headers.putAll(extra);
        }
        return new AMQP.BasicProperties.Builder()
                .messageId(m.id())
                .deliveryMode(PERSISTENT)
                .priority(m.priority())
                .headers(headers)
                .build();
    }

    /** The message of a delivery; {@code previousDeliveries} is what the broker says about redelivery. */
    static Message<byte[]> message(String topic, AMQP.BasicProperties props, byte[] body, boolean redelivered) {
        Map<String, Object> h = props.getHeaders() == null ? Map.of() : props.getHeaders();
        int attempt = intHeader(h, ATTEMPT, 1);
        Object quorumCount = h.get(QUORUM_DELIVERY_COUNT);
        if (quorumCount instanceof Number n) {
            attempt += n.intValue();
        } else if (redelivered) {
            attempt += 1;
        }
        Message.Builder<byte[]> b = Message.builder(body)
                .id(props.getMessageId())
                .topic(topic)
                .priority(props.getPriority() == null ? 0 : Math.min(9, props.getPriority()))
                .attempt(attempt);
        for (Map.Entry<String, Object> e : h.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("rivulet-dl-") && !name.startsWith("x-") && !isEnvelope(name)) {
                b.header(name, String.valueOf(e.getValue()));
            }
        }
        Object created = h.get(CREATED_AT);
        if (created instanceof Number millis) {
            b.createdAt(Instant.ofEpochMilli(millis.longValue()));
        } else if (created != null) {
            b.createdAt(Instant.parse(created.toString()));
        }
        if (h.get(KEY) != null) {
            b.key(h.get(KEY).toString());
        }
        if (h.get(TAGS) instanceof List<?> tags) {
            b.tags(tags.stream().map(String::valueOf).toArray(String[]::new));
        }
        if (h.get(AVAILABLE_AT) instanceof Number at) {
            b.availableAt(Instant.ofEpochMilli(at.longValue()));
        }
        if (h.get(MAX_ATTEMPTS) instanceof Number max) {
            b.maxAttempts(max.intValue());
        }
        if (h.get(TIMEOUT_MS) instanceof Number ms) {
            b.timeout(Duration.ofMillis(ms.longValue()));
        }
        if (h.get(DEDUP_KEY) != null) {
            b.dedupKey(h.get(DEDUP_KEY).toString());
        }
        return b.build();
    }

    private static boolean isEnvelope(String name) {
        return switch (name) {
            case ATTEMPT, KEY, TAGS, CREATED_AT, AVAILABLE_AT, MAX_ATTEMPTS, TIMEOUT_MS, DEDUP_KEY -> true;
            default -> false;
        };
    }

    /** When {@code props}' message is due, or {@code null} for now. */
    static Long availableAt(AMQP.BasicProperties props) {
        Map<String, Object> h = props.getHeaders();
        return h != null && h.get(AVAILABLE_AT) instanceof Number n ? n.longValue() : null;
    }

    /** The headers that turn a copy of a message into its dead letter. */
    static Map<String, Object> deadLetterHeaders(DeadLetter dl) {
        Map<String, Object> h = new HashMap<>(8);
        h.put(DL_REASON, dl.reason());
        if (dl.errorClass() != null) {
            h.put(DL_ERROR_CLASS, dl.errorClass());
        }
        if (dl.errorMessage() != null) {
            String msg = dl.errorMessage();
            h.put(DL_ERROR_MESSAGE, msg.length() > MAX_ERROR_MESSAGE ? msg.substring(0, MAX_ERROR_MESSAGE) : msg);
        }
        h.put(DL_ATTEMPTS, dl.attempts());
        h.put(DL_FIRST, dl.firstFailureAt().toString());
        h.put(DL_LAST, dl.lastFailureAt().toString());
        h.put(DL_REPLAYS, dl.replays());
        return h;
    }

    /** The dead letter a DLQ message holds; one dead-lettered by the broker itself (x-death) gets its reason. */
    static DeadLetter deadLetter(String topic, AMQP.BasicProperties props, byte[] body) {
        Message<byte[]> m = message(topic, props, body, false);
        Map<String, Object> h = props.getHeaders() == null ? Map.of() : props.getHeaders();
        Object reason = h.get(DL_REASON);
        if (reason == null) {
            Instant now = Instant.now();
            return new DeadLetter(m, "dead-lettered by RabbitMQ (" + brokerReason(h) + ")", null, null,
                    Math.max(1, m.attempt()), now, now, 0);
        }
        return new DeadLetter(m, reason.toString(), text(h, DL_ERROR_CLASS), text(h, DL_ERROR_MESSAGE),
                intHeader(h, DL_ATTEMPTS, 1), Instant.parse(h.get(DL_FIRST).toString()),
                Instant.parse(h.get(DL_LAST).toString()), intHeader(h, DL_REPLAYS, 0));
    }

    /** The record a {@link DeadLetterRecord} makes for a message dead-lettered now. */
    static DeadLetter deadLetterOf(Message<byte[]> m, DeadLetterRecord record, Instant now) {
        return io.rivulet.core.spi.ReservedHeaders.deadLetter(m, record, now);
    }

    private static String brokerReason(Map<String, Object> h) {
        if (h.get("x-death") instanceof List<?> deaths && !deaths.isEmpty() && deaths.get(0) instanceof Map<?, ?> d) {
            return String.valueOf(d.get("reason"));
        }
        return "unknown";
    }

    private static String text(Map<String, Object> h, String name) {
        Object v = h.get(name);
        return v == null ? null : v.toString();
    }

    private static int intHeader(Map<String, Object> h, String name, int otherwise) {
        return h.get(name) instanceof Number n ? n.intValue() : otherwise;
    }
}
