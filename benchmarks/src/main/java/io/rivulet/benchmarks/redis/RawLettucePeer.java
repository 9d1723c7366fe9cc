package io.rivulet.benchmarks.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Raw Lettuce issuing the commands Rivulet issues: the same publish script (the same four fields
 * per message, {@value #PUBLISH_BATCH} messages a call, two calls in flight — Rivulet batches only
 * what comes while a call is under way), then the same fetch script (up to {@value #WINDOW} entries a call,
 * one batch read ahead) and the same ack script, called once for every batch read — the most an
 * ack call can carry, where Rivulet batches only the acks that come while one is under way. It
 * skips what Rivulet adds around the commands: message objects, codecs, settle-once guards,
 * metrics, prefetch accounting and the consumer's own thread. {@link #publishXadd} is what a plain
 * Lettuce user would write instead: one {@code XADD} per message, {@value #WINDOW} in flight.
 */
final class RawLettucePeer implements RedisPeer {

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final String prefix = "rivulet-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisReactiveCommands<String, byte[]> redis;
    private final String[] keys;
    static final int PUBLISH_BATCH = 64;

    private final String fetchSha;
    private final String publishSha;
    private final String ackSha;
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    // Rivulet's envelope of a plain message is 41 bytes; the raw peer sends as many.
    private final byte[] meta = new byte[41];
    private final byte[] one = "1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO = "0".getBytes(StandardCharsets.US_ASCII);
    private final byte[] group = "rivulet".getBytes(StandardCharsets.US_ASCII);
    private final byte[] consumer = "raw-bench".getBytes(StandardCharsets.US_ASCII);

    RawLettucePeer() {
        client = RedisClient.create(RedisURI.create(RedisPeer.host(), RedisPeer.port()));
        connection = client.connect(CODEC);
        redis = connection.reactive();
        keys = RivuletLayout.keys(prefix, "bench.redis");
        fetchSha = RivuletLayout.load(connection.sync(), "fetch");
        publishSha = RivuletLayout.load(connection.sync(), "publish");
        ackSha = RivuletLayout.load(connection.sync(), "ack");
    }


    private static byte[] bytes(Object o) {
        return o.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int publish(int n) {
        return Flux.range(0, n)
                .buffer(PUBLISH_BATCH)
                .flatMapSequential(batch -> {
                    byte[][] args = new byte[1 + 5 * batch.size()][];
                    args[0] = ZERO;
                    int i = 1;
                    for (int ignored : batch) {
                        args[i++] = ZERO;
                        args[i++] = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
                        args[i++] = one;
                        args[i++] = meta;
                        args[i++] = payload;
                    }
                    return redis.<List<Object>>evalsha(publishSha, ScriptOutputType.MULTI, keys, args).next()
                            .map(reply -> ((Long) reply.get(0)).intValue());
                }, 2, 1)
                .reduce(0, Integer::sum)
                .block(Duration.ofMinutes(2));
    }

    /** Plain Lettuce: one {@code XADD} of the same four fields per message, {@value #WINDOW} in flight. */
    int publishXadd(int n) {
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
        AtomicInteger fetched = new AtomicInteger();
        return Flux.defer(() -> fetch(Math.min(WINDOW, n - fetched.get())))
                .doOnNext(batch -> fetched.addAndGet(batch.size()))
                .repeat(() -> fetched.get() < n) // never reads more than n
                .filter(batch -> !batch.isEmpty())
                .flatMap(this::ackAll, 2) // one batch acked while the next is read
                .reduce(0, Integer::sum)
                .block(Duration.ofMinutes(2));
    }

    private Mono<List<Object>> fetch(int count) {
        byte[][] args = {group, consumer, bytes(count), bytes(System.currentTimeMillis()), bytes(0), bytes(0)};
        return redis.<List<Object>>evalsha(fetchSha, ScriptOutputType.MULTI, keys, args)
                .next()
                .map(reply -> {
                    @SuppressWarnings("unchecked")
                    List<Object> entries = (List<Object>) reply.get(0);
                    return entries;
                });
    }

    /** Acks every entry of a batch with one call; emits how many there were. */
    private Mono<Integer> ackAll(List<Object> batch) {
        byte[][] args = new byte[1 + 3 * batch.size()][];
        args[0] = group;
        int i = 1;
        for (Object entry : batch) {
            List<?> e = (List<?>) entry;
            args[i++] = bytes(e.get(0));
            args[i++] = (byte[]) e.get(1);
            args[i++] = bytes(e.get(2));
        }
        return redis.<Long>evalsha(ackSha, ScriptOutputType.INTEGER, keys, args).next().thenReturn(batch.size());
    }

    @Override
    public void reset() {
        RedisKeys.delete(RedisPeer.host(), RedisPeer.port(), prefix);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        RedisKeys.delete(RedisPeer.host(), RedisPeer.port(), prefix);
    }
}
