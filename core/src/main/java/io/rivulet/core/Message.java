package io.rivulet.core;

import io.rivulet.core.internal.MessageAccess;
import io.rivulet.core.internal.MessageIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable message: a typed payload plus the envelope every backend carries.
 *
 * <p>Create one with {@link #of(Object)} or {@link #builder(Object)}; derive a changed copy with
 * {@link #toBuilder()}. The {@code topic}, {@code attempt}, {@code createdAt} and
 * {@code availableAt} fields are filled in by the broker on publish and on delivery when left
 * unset. {@code attempt} is 1 on the first delivery and grows by one on every redelivery.
 *
 * @param <T> the payload type
 */
public final class Message<T> {

    /** Default priority: the lowest level. Higher numbers are delivered first. */
    public static final int DEFAULT_PRIORITY = 0;
    /** The highest supported priority level. */
    public static final int MAX_PRIORITY = 9;
    /** Value of {@link #maxAttempts()} meaning "use the consumer's retry policy". */
    public static final int UNLIMITED_ATTEMPTS = 0;

    private final String id;
    private final String topic;
    private final T payload;
    private final Map<String, String> headers;
    private final String key;
    private final int priority;
    private final Instant createdAt;
    private final Instant availableAt;
    private final int attempt;
    private final int maxAttempts;
    private final Duration timeout;
    private final Set<String> tags;
    private final String dedupKey;

    static {
        MessageAccess.install(Message::stored);
    }

    // Copy that shares the (immutable) collections: the publish and delivery hot paths make one
    // per message.
    private Message(Message<?> src, T payload, String topic, int attempt, Instant createdAt) {
        this.id = src.id;
        this.topic = topic;
        this.payload = payload;
        this.headers = src.headers;
        this.key = src.key;
        this.priority = src.priority;
        this.createdAt = createdAt;
        this.availableAt = src.availableAt;
        this.attempt = attempt;
        this.maxAttempts = src.maxAttempts;
        this.timeout = src.timeout;
        this.tags = src.tags;
        this.dedupKey = src.dedupKey;
    }

    // What of(payload) builds, without a builder.
    private Message(T payload) {
        this.id = MessageIds.next();
        this.topic = null;
        this.payload = Objects.requireNonNull(payload, "payload");
        this.headers = Collections.emptyMap();
        this.key = null;
        this.priority = DEFAULT_PRIORITY;
        this.createdAt = null;
        this.availableAt = null;
        this.attempt = 0;
        this.maxAttempts = UNLIMITED_ATTEMPTS;
        this.timeout = null;
        this.tags = Collections.emptySet();
        this.dedupKey = null;
    }

    private Message(Builder<T> b) {
        this.id = b.id != null ? b.id : MessageIds.next();
        this.topic = b.topic;
        this.payload = b.payload;
        this.headers = b.headers instanceof LinkedHashMap
                ? Collections.unmodifiableMap(new LinkedHashMap<>(b.headers)) : b.headers;
        this.key = b.key;
        this.priority = b.priority;
        this.createdAt = b.createdAt;
        this.availableAt = b.availableAt;
        this.attempt = b.attempt;
        this.maxAttempts = b.maxAttempts;
        this.timeout = b.timeout;
        this.tags = b.tags instanceof LinkedHashSet
                ? Collections.unmodifiableSet(new LinkedHashSet<>(b.tags)) : b.tags;
        this.dedupKey = b.dedupKey;
    }

    /** Returns a message with the given payload and a generated id. */
    public static <T> Message<T> of(T payload) {
        return new Message<>(payload);
    }

    // Granted to internal code through MessageAccess: the message a backend stores, with the attempt
    // of its first delivery (1), so a backend that hands the stored object out needs no copy then.
    private static <R> Message<R> stored(Message<?> src, R payload, String topic, Instant createdAt) {
        return new Message<>(src, Objects.requireNonNull(payload, "payload"), topic, 1, createdAt);
    }

    /** Returns a builder for a message with the given payload. */
    public static <T> Builder<T> builder(T payload) {
        return new Builder<>(payload);
    }

    /** Returns a builder holding every field of this message, to derive a changed copy. */
    public Builder<T> toBuilder() {
        Builder<T> b = new Builder<>(payload);
        b.id = id;
        b.topic = topic;
        b.headers = headers;
        b.key = key;
        b.priority = priority;
        b.createdAt = createdAt;
        b.availableAt = availableAt;
        b.attempt = attempt;
        b.maxAttempts = maxAttempts;
        b.timeout = timeout;
        b.tags = tags;
        b.dedupKey = dedupKey;
        return b;
    }

    /** Returns a copy of this message carrying another payload (used by codecs). */
    @SuppressWarnings("unchecked")
    public <R> Message<R> withPayload(R newPayload) {
        Objects.requireNonNull(newPayload, "payload");
        // Same payload object: nothing changes, and a pass-through codec costs no copy.
        return newPayload == payload ? (Message<R>) this : new Message<>(this, newPayload, topic, attempt, createdAt);
    }

    /** Returns a copy of this message with another attempt number (used by backends on delivery). */
    public Message<T> withAttempt(int newAttempt) {
        if (newAttempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + newAttempt);
        }
        return newAttempt == attempt ? this : new Message<>(this, payload, topic, newAttempt, createdAt);
    }

    /** The unique id, producer-assigned or generated. */
    public String id() { return id; }

    /** The topic (queue name) this message was published to, or {@code null} before publish. */
    public String topic() { return topic; }

    /** The payload. */
    public T payload() { return payload; }

    /** Unmodifiable headers. Header names starting with {@code rivulet-} are reserved. */
    public Map<String, String> headers() { return headers; }

    /** The ordering and partitioning key, or {@code null}. */
    public String key() { return key; }

    /** Priority from {@value #DEFAULT_PRIORITY} to {@value #MAX_PRIORITY}; higher is delivered first. */
    public int priority() { return priority; }

    /** When the producer created it, or {@code null} before publish. */
    public Instant createdAt() { return createdAt; }

    /** When it may be delivered, or {@code null} for "now". */
    public Instant availableAt() { return availableAt; }

    /** Delivery attempt, 1 on first delivery; 0 before the first delivery. */
    public int attempt() { return attempt; }

    /** Per-message attempt limit, or {@value #UNLIMITED_ATTEMPTS} to defer to the consumer's policy. */
    public int maxAttempts() { return maxAttempts; }

    /** Per-message handler timeout, or {@code null} to defer to the consumer's options. */
    public Duration timeout() { return timeout; }

    /** Unmodifiable tags, for filtering and observability. */
    public Set<String> tags() { return tags; }

    /** The deduplication key: the explicit one, or the id when none was given. */
    public String dedupKey() { return dedupKey != null ? dedupKey : id; }

    @Override
    public String toString() {
        // Never print the payload: it may carry personal data.
        return "Message{id=" + id + ", topic=" + topic + ", key=" + key + ", priority=" + priority
                + ", attempt=" + attempt + "}";
    }

    /**
     * A mutable builder; {@link #build()} validates and returns an immutable message.
     *
     * @param <T> the payload type
     */
    public static final class Builder<T> {
        private final T payload;
        private String id;
        private String topic;
        // Unmodifiable (empty, or shared with the message toBuilder() came from) until the first
        // write turns them into private copies: messages without headers or tags, and copies that
        // change only scalar fields, allocate no collections.
        private Map<String, String> headers = Collections.emptyMap();
        private String key;
        private int priority = DEFAULT_PRIORITY;
        private Instant createdAt;
        private Instant availableAt;
        private int attempt;
        private int maxAttempts = UNLIMITED_ATTEMPTS;
        private Duration timeout;
        private Set<String> tags = Collections.emptySet();
        private String dedupKey;

        private Builder(T payload) {
            this.payload = Objects.requireNonNull(payload, "payload");
        }

        /** Sets the id; must be non-blank. */
        public Builder<T> id(String id) {
            this.id = requireText(id, "id");
            return this;
        }

        /** Sets the topic. Normally left to the queue the message is published to. */
        public Builder<T> topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** Adds a header. */
        public Builder<T> header(String name, String value) {
            String n = requireText(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (!(headers instanceof LinkedHashMap)) {
                headers = new LinkedHashMap<>(headers);
            }
            headers.put(n, value);
            return this;
        }

        /** Adds every header of the map. */
        public Builder<T> headers(Map<String, String> more) {
            more.forEach(this::header);
            return this;
        }

        /** Sets the ordering key (messages with one key are handled in publish order by key-ordered handling). */
        public Builder<T> key(String key) {
            this.key = key;
            return this;
        }

        /** Sets the priority, from {@value Message#DEFAULT_PRIORITY} to {@value Message#MAX_PRIORITY}. */
        public Builder<T> priority(int priority) {
            if (priority < DEFAULT_PRIORITY || priority > MAX_PRIORITY) {
                throw new IllegalArgumentException(
                        "priority must be between " + DEFAULT_PRIORITY + " and " + MAX_PRIORITY + ", was " + priority);
            }
            this.priority = priority;
            return this;
        }

        /** Sets the creation time. Normally left to the broker. */
        public Builder<T> createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        /** Sets the earliest delivery time. */
        public Builder<T> availableAt(Instant availableAt) {
            this.availableAt = availableAt;
            return this;
        }

        /** Sets the attempt number. Normally left to the broker. */
        public Builder<T> attempt(int attempt) {
            if (attempt < 0) {
                throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
            }
            this.attempt = attempt;
            return this;
        }

        /** Sets the per-message attempt limit; {@value Message#UNLIMITED_ATTEMPTS} defers to the consumer. */
        public Builder<T> maxAttempts(int maxAttempts) {
            if (maxAttempts < 0) {
                throw new IllegalArgumentException("maxAttempts must be >= 0, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Sets the per-message handler timeout; must be positive. */
        public Builder<T> timeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Adds tags. */
        public Builder<T> tags(String... more) {
            for (String t : more) {
                requireText(t, "tag");
            }
            if (more.length == 0) {
                return this;
            }
            if (!(tags instanceof LinkedHashSet)) {
                tags = new LinkedHashSet<>(tags);
            }
            Collections.addAll(tags, more);
            return this;
        }

        /** Sets an explicit deduplication key (defaults to the id). */
        public Builder<T> dedupKey(String dedupKey) {
            this.dedupKey = dedupKey;
            return this;
        }

        /** Returns the immutable message. */
        public Message<T> build() {
            return new Message<>(this);
        }

        private static String requireText(String s, String what) {
            Objects.requireNonNull(s, what);
            if (s.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return s;
        }
    }
}
