package io.rivulet.redis.internal;

import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a message is laid out in Redis. A stream entry has the fields {@code id}, {@code attempt}
 * (the attempt of its first delivery), {@code meta} (the envelope, binary, see below) and
 * {@code payload} (the encoded payload as is, so JSON reads in {@code XRANGE}). A delayed member
 * packs the same into one string (see {@code common.lua}). A dead letter adds {@code reason},
 * {@code error-class}, {@code error-message}, {@code attempts}, {@code first-failure},
 * {@code last-failure} and {@code replays}.
 *
 * <p>Meta, version 1: version byte, priority byte, created-at, available-at (epoch ms,
 * {@code Long.MIN_VALUE} for none), max attempts (int), timeout (ms, -1 for none), key and dedup key
 * (strings), headers (count, then name and value), tags (count, then each). A string is its UTF-8
 * length as an int (-1 for null) and its bytes.
 */
final class EntryCodec {

    static final String ID = "id";
    static final String ATTEMPT = "attempt";
    static final String META = "meta";
    static final String PAYLOAD = "payload";

    private static final byte VERSION = 1;
    private static final long NONE = Long.MIN_VALUE;

    private EntryCodec() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] num(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** The stream entry of {@code m}, delivered first as {@code attempt}. */
    static Map<String, byte[]> fields(Message<byte[]> m, int attempt) {
        Map<String, byte[]> fields = new LinkedHashMap<>(8);
        fields.put(ID, utf8(m.id()));
        fields.put(ATTEMPT, num(attempt));
        fields.put(META, meta(m));
        fields.put(PAYLOAD, m.payload());
        return fields;
    }

    /** The delayed-set member of {@code m} at {@code level}, delivered as {@code attempt}. */
    static byte[] member(Message<byte[]> m, int attempt, String nonce) {
        byte[] id = utf8(m.id());
        byte[] meta = meta(m);
        byte[] head = (m.priority() + ":" + attempt + ":" + nonce + ":" + id.length + ":" + meta.length + ":")
                .getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(head.length + id.length + meta.length + m.payload().length)
                .put(head).put(id).put(meta).put(m.payload()).array();
    }

    static byte[] meta(Message<byte[]> m) {
        Out out = new Out();
        out.write(VERSION);
        out.write(m.priority());
        out.writeLong(m.createdAt() == null ? NONE : m.createdAt().toEpochMilli());
        out.writeLong(m.availableAt() == null ? NONE : m.availableAt().toEpochMilli());
        out.writeInt(m.maxAttempts());
        out.writeLong(m.timeout() == null ? -1 : m.timeout().toMillis());
        out.writeString(m.key());
        String dedup = m.dedupKey();
        out.writeString(dedup.equals(m.id()) ? null : dedup);
        out.writeInt(m.headers().size());
        m.headers().forEach((k, v) -> {
            out.writeString(k);
            out.writeString(v);
        });
        out.writeInt(m.tags().size());
        m.tags().forEach(out::writeString);
        return out.toByteArray();
    }

    /** The message of a stream entry's fields, delivered as {@code attempt}. */
    static Message<byte[]> message(String topic, Map<String, byte[]> fields, int attempt) {
        ByteBuffer in = ByteBuffer.wrap(fields.get(META));
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalStateException("Unknown Rivulet entry version " + version
                    + ": written by a newer Rivulet? Upgrade this one");
        }
        Message.Builder<byte[]> b = Message.builder(fields.get(PAYLOAD))
                .id(new String(fields.get(ID), StandardCharsets.UTF_8))
                .topic(topic)
                .priority(in.get())
                .attempt(attempt);
        long createdAt = in.getLong();
        if (createdAt != NONE) {
            b.createdAt(Instant.ofEpochMilli(createdAt));
        }
        long availableAt = in.getLong();
        if (availableAt != NONE) {
            b.availableAt(Instant.ofEpochMilli(availableAt));
        }
        b.maxAttempts(in.getInt());
        long timeout = in.getLong();
        if (timeout >= 0) {
            b.timeout(Duration.ofMillis(timeout));
        }
        b.key(readString(in));
        String dedup = readString(in);
        if (dedup != null) {
            b.dedupKey(dedup);
        }
        for (int i = in.getInt(); i > 0; i--) {
            b.header(readString(in), readString(in));
        }
        for (int i = in.getInt(); i > 0; i--) {
            b.tags(readString(in));
        }
        return b.build();
    }

    /** Field/value pairs a dead letter adds to the message's own fields. */
    static List<byte[]> deadFields(DeadLetter dl) {
        List<byte[]> out = new java.util.ArrayList<>(16);
        out.add(utf8(ATTEMPT));
        out.add(num(dl.message().attempt()));
        out.add(utf8("reason"));
        out.add(utf8(dl.reason()));
        if (dl.errorClass() != null) {
            out.add(utf8("error-class"));
            out.add(utf8(dl.errorClass()));
        }
        if (dl.errorMessage() != null) {
            out.add(utf8("error-message"));
            out.add(utf8(dl.errorMessage()));
        }
        out.add(utf8("attempts"));
        out.add(num(dl.attempts()));
        out.add(utf8("first-failure"));
        out.add(utf8(dl.firstFailureAt().toString()));
        out.add(utf8("last-failure"));
        out.add(utf8(dl.lastFailureAt().toString()));
        out.add(utf8("replays"));
        out.add(num(dl.replays()));
        return out;
    }

    /** The dead letter of a dead-letter stream entry's fields. */
    static DeadLetter deadLetter(String topic, Map<String, byte[]> f) {
        Message<byte[]> m = message(topic, f, Integer.parseInt(text(f, ATTEMPT)));
        return new DeadLetter(m, text(f, "reason"), text(f, "error-class"), text(f, "error-message"),
                Integer.parseInt(text(f, "attempts")), Instant.parse(text(f, "first-failure")),
                Instant.parse(text(f, "last-failure")), Integer.parseInt(text(f, "replays")));
    }

    static String text(Map<String, byte[]> f, String name) {
        byte[] v = f.get(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private static String readString(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0) {
            return null;
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    /** A growable byte sink without DataOutputStream's checked exceptions. */
    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(64);
        }

        void writeInt(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        void writeString(String s) {
            if (s == null) {
                writeInt(-1);
                return;
            }
            byte[] b = utf8(s);
            writeInt(b.length);
            write(b, 0, b.length);
        }
    }
}
