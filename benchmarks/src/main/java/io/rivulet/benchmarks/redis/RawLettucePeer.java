package io.rivulet.benchmarks.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Raw Lettuce issuing the commands Rivulet issues: {@code XADD} of the same four fields with
 * {@value #WINDOW} in flight, then the same fetch script (up to {@value #WINDOW} entries a call)
 * and the same ack script per message with {@value #WINDOW} in flight, on one connection. It skips
 * what Rivulet adds around them: message objects, codecs, settle-once guards, metrics, prefetch
 * accounting and the consumer's own thread.
 */
final class RawLettucePeer implements RedisPeer {

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final String SCRIPTS = "/io/rivulet/redis/internal/";

    private final String prefix = "rivulet-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisReactiveCommands<String, byte[]> redis;
    private final String[] keys = new String[13];
    private final String fetchSha;
    private final String ackSha;
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    // Rivulet's envelope of a plain message is 41 bytes; the raw peer sends as many.
    private final byte[] meta = new byte[41];
    private final byte[] one = "1".getBytes(StandardCharsets.US_ASCII);
    private final byte[] group = "rivulet".getBytes(StandardCharsets.US_ASCII);
    private final byte[] consumer = "raw-bench".getBytes(StandardCharsets.US_ASCII);

    RawLettucePeer() {
        client = RedisClient.create(RedisURI.create(RedisPeer.host(), RedisPeer.port()));
        connection = client.connect(CODEC);
        redis = connection.reactive();
        String base = prefix + "{bench.redis}:";
        for (int level = 0; level < 10; level++) {
            keys[level] = base + "stream:" + level;
        }
        keys[10] = base + "delayed";
        keys[11] = base + "dead";
        keys[12] = base + "stats";
        String common = read("common.lua");
        fetchSha = connection.sync().scriptLoad(common + "\n" + read("fetch.lua"));
        ackSha = connection.sync().scriptLoad(common + "\n" + read("ack.lua"));
    }

    private static String read(String name) {
        try (InputStream in = RawLettucePeer.class.getResourceAsStream(SCRIPTS + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Object o) {
        return o.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int publish(int n) {
        return Math.toIntExact(Flux.range(0, n)
                .flatMapSequential(i -> {
                    Map<String, byte[]> fields = new LinkedHashMap<>(8);
                    fields.put("id", UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
                    fields.put("attempt", one);
                    fields.put("meta", meta);
                    fields.put("payload", payload);
                    return redis.xadd(keys[0], fields);
                }, WINDOW, 1)
                .count()
                .block(Duration.ofMinutes(2)));
    }

    @Override
    public int roundTrip(int n) {
        publish(n);
        return Math.toIntExact(Flux.defer(this::fetch).repeat()
                .concatMapIterable(list -> list, 1) // one batch read ahead, no more
                .flatMap(this::ack, WINDOW)
                .take(n)
                .count()
                .block(Duration.ofMinutes(2)));
    }

    private Mono<List<Object>> fetch() {
        byte[][] args = {group, consumer, bytes(WINDOW), bytes(System.currentTimeMillis()), bytes(0), bytes(0)};
        return redis.<List<Object>>evalsha(fetchSha, ScriptOutputType.MULTI, keys, args)
                .next()
                .map(reply -> {
                    @SuppressWarnings("unchecked")
                    List<Object> entries = (List<Object>) reply.get(0);
                    return entries;
                });
    }

    private Mono<Long> ack(Object entry) {
        List<?> e = (List<?>) entry;
        byte[][] args = {group, bytes(e.get(0)), (byte[]) e.get(1), bytes(e.get(2))};
        return redis.<Long>evalsha(ackSha, ScriptOutputType.INTEGER, keys, args).next();
    }

    @Override
    public void reset() {
        deleteKeys(prefix);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        deleteKeys(prefix);
    }

    /** Deletes every key under {@code prefix}. */
    static void deleteKeys(String prefix) {
        RedisClient c = RedisClient.create(RedisURI.create(RedisPeer.host(), RedisPeer.port()));
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            ScanIterator<String> it = ScanIterator.scan(conn.sync(), ScanArgs.Builder.matches(prefix + "*"));
            while (it.hasNext()) {
                conn.sync().unlink(it.next());
            }
        } finally {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
