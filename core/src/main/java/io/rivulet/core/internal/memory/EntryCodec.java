package io.rivulet.core.internal.memory;

import io.rivulet.core.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a ready entry of the memory backend as bytes and reads it back: the form in which a
 * {@link TopicStore} keeps the part of a backlog beyond its heap bound in an {@link OffHeapLog}. Every
 * field of the message survives the round trip, as does the attempt the entry will be delivered as.
 * Compact: small numbers as variable-length integers, a generated id (a UUID in its text form) as 16
 * bytes, the topic name left out when it is the store's own, absent fields as one flag bit each.
 *
 * <p>One instance per store, not thread-safe: it reuses one buffer for every entry it writes.
 */
final class EntryCodec {

    private static final int UUID_ID = 1;
    private static final int OTHER_TOPIC = 1 << 1;
    private static final int NO_TOPIC = 1 << 2;
    private static final int KEY = 1 << 3;
    private static final int CREATED_AT = 1 << 4;
    private static final int AVAILABLE_AT = 1 << 5;
    private static final int TIMEOUT = 1 << 6;
    private static final int DEDUP_KEY = 1 << 7;
    private static final int HEADERS = 1 << 8;
    private static final int TAGS = 1 << 9;

    private final String topic;
    private ByteBuffer out = ByteBuffer.allocate(512);

    /** For entries of {@code topic}, whose messages then carry no copy of its name. */
    EntryCodec(String topic) {
        this.topic = topic;
    }

    /** The bytes of {@code entry}, valid until the next call: from position zero to the limit. */
    ByteBuffer write(MemoryDelivery entry) {
        Message<byte[]> m = entry.stored;
        String id = m.id();
        boolean uuid = isUuidText(id);
        String dedupKey = m.dedupKey();
        int flags = (uuid ? UUID_ID : 0)
                | (m.topic() == null ? NO_TOPIC : m.topic().equals(topic) ? 0 : OTHER_TOPIC)
                | (m.key() != null ? KEY : 0)
                | (m.createdAt() != null ? CREATED_AT : 0)
                | (m.availableAt() != null ? AVAILABLE_AT : 0)
                | (m.timeout() != null ? TIMEOUT : 0)
                // dedupKey() is the id unless an explicit key was given: only a different one is kept.
                | (!dedupKey.equals(id) ? DEDUP_KEY : 0)
                | (!m.headers().isEmpty() ? HEADERS : 0)
                | (!m.tags().isEmpty() ? TAGS : 0);
        out.clear();
        putVarint(flags);
        putVarint(entry.nextAttempt);
        putVarint(m.attempt());
        putVarint(m.maxAttempts());
        ensure(1);
        out.put((byte) m.priority());
        if (uuid) {
            UUID u = UUID.fromString(id);
            ensure(2 * Long.BYTES);
            out.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        } else {
            putString(id);
        }
        if ((flags & OTHER_TOPIC) != 0) {
            putString(m.topic());
        }
        if ((flags & KEY) != 0) {
            putString(m.key());
        }
        if ((flags & CREATED_AT) != 0) {
            putInstant(m.createdAt());
        }
        if ((flags & AVAILABLE_AT) != 0) {
            putInstant(m.availableAt());
        }
        if ((flags & TIMEOUT) != 0) {
            ensure(Long.BYTES + Integer.BYTES);
            out.putLong(m.timeout().getSeconds()).putInt(m.timeout().getNano());
        }
        if ((flags & DEDUP_KEY) != 0) {
            putString(dedupKey);
        }
        if ((flags & HEADERS) != 0) {
            putVarint(m.headers().size());
            for (Map.Entry<String, String> h : m.headers().entrySet()) {
                putString(h.getKey());
                putString(h.getValue());
            }
        }
        if ((flags & TAGS) != 0) {
            putVarint(m.tags().size());
            for (String t : m.tags()) {
                putString(t);
            }
        }
        putBytes(m.payload());
        return out.flip();
    }

    /** The entry {@code in} holds, read from its position to its limit. */
    MemoryDelivery read(ByteBuffer in) {
        int flags = getVarint(in);
        int nextAttempt = getVarint(in);
        int attempt = getVarint(in);
        int maxAttempts = getVarint(in);
        int priority = in.get();
        String id = (flags & UUID_ID) != 0 ? new UUID(in.getLong(), in.getLong()).toString() : getString(in);
        String messageTopic = (flags & NO_TOPIC) != 0 ? null : (flags & OTHER_TOPIC) != 0 ? getString(in) : topic;
        String key = (flags & KEY) != 0 ? getString(in) : null;
        Instant createdAt = (flags & CREATED_AT) != 0 ? getInstant(in) : null;
        Instant availableAt = (flags & AVAILABLE_AT) != 0 ? getInstant(in) : null;
        Duration timeout = (flags & TIMEOUT) != 0 ? Duration.ofSeconds(in.getLong(), in.getInt()) : null;
        String dedupKey = (flags & DEDUP_KEY) != 0 ? getString(in) : null;
        String[] headers = (flags & HEADERS) != 0 ? getStrings(in, 2) : null;
        String[] tags = (flags & TAGS) != 0 ? getStrings(in, 1) : null;
        byte[] payload = new byte[getVarint(in)];
        in.get(payload);
        Message.Builder<byte[]> b = Message.builder(payload).id(id).topic(messageTopic).key(key).priority(priority)
                .createdAt(createdAt).availableAt(availableAt).attempt(attempt).maxAttempts(maxAttempts)
                .timeout(timeout).dedupKey(dedupKey);
        if (headers != null) {
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
        }
        if (tags != null) {
            b.tags(tags);
        }
        return new MemoryDelivery(b.build(), nextAttempt, Long.MIN_VALUE);
    }

    // The text form UUID.toString() gives, so that reading it back yields the same string.
    private static boolean isUuidText(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void putInstant(Instant t) {
        ensure(Long.BYTES + Integer.BYTES);
        out.putLong(t.getEpochSecond()).putInt(t.getNano());
    }

    private static Instant getInstant(ByteBuffer in) {
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
    }

    private void putString(String s) {
        putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String getString(ByteBuffer in) {
        byte[] b = new byte[getVarint(in)];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String[] getStrings(ByteBuffer in, int perItem) {
        String[] all = new String[getVarint(in) * perItem];
        for (int i = 0; i < all.length; i++) {
            all[i] = getString(in);
        }
        return all;
    }

    private void putBytes(byte[] b) {
        putVarint(b.length);
        ensure(b.length);
        out.put(b);
    }

    private void putVarint(int v) {
        ensure(5);
        while ((v & ~0x7F) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private static int getVarint(ByteBuffer in) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }

    private void ensure(int more) {
        if (out.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + more));
            out.flip();
            out = bigger.put(out);
        }
    }
}
