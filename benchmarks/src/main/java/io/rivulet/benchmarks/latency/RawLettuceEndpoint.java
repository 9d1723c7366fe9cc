package io.rivulet.benchmarks.latency;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.rivulet.benchmarks.redis.RedisKeys;
import io.rivulet.benchmarks.redis.RivuletLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Raw Lettuce issuing the commands Rivulet's Redis backend issues for one message, with the same
 * scripts: the publish script with the same four fields (id, attempt, a 41-byte envelope, payload)
 * for stream 0 (Rivulet batches publishes into that script; one at a time, a batch is one message);
 * a consumer loop that runs the fetch script (up to {@value #FETCH} entries) and, when
 * it finds nothing, blocks with {@code XREAD BLOCK} (up to {@value #POLL_MS} ms, {@code COUNT 1})
 * past the end of all ten priority streams on a connection of its own, exactly as Rivulet's
 * consumer does; then the ack script per entry. The handler runs on Lettuce's I/O thread. What it
 * skips: message objects, codec, settle-once guards, metrics, prefetch accounting and the
 * consumer's own thread.
 */
final class RawLettuceEndpoint implements Endpoint {

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final int LEVELS = 10;
    private static final int FETCH = 256;
    /** Rivulet's default {@code RedisOptions.pollInterval}. */
    private static final long POLL_MS = 1000;

    private final String host;
    private final int port;
    private final String prefix;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final StatefulRedisConnection<String, byte[]> blocking;
    private final RedisReactiveCommands<String, byte[]> redis;
    private final String[] keys;
    private final String fetchSha;
    private final String ackSha;
    private final String publishSha;
    private final byte[] meta = new byte[41];
    private final byte[] one = "1".getBytes(StandardCharsets.US_ASCII);
    private final byte[] group = "rivulet".getBytes(StandardCharsets.US_ASCII);
    private final byte[] consumerName = "raw-latency".getBytes(StandardCharsets.US_ASCII);
    private final FirstFailure failure = new FirstFailure();
    private volatile boolean closed;
    private Consumer<byte[]> handler;

    RawLettuceEndpoint(String host, int port, String prefix, String topic) {
        this.host = host;
        this.port = port;
        this.prefix = prefix;
        client = RedisClient.create(RedisURI.create(host, port));
        connection = client.connect(CODEC);
        blocking = client.connect(CODEC);
        redis = connection.reactive();
        keys = RivuletLayout.keys(prefix, topic);
        fetchSha = RivuletLayout.load(connection.sync(), "fetch");
        ackSha = RivuletLayout.load(connection.sync(), "ack");
        publishSha = RivuletLayout.load(connection.sync(), "publish");
    }


    private static byte[] ascii(Object o) {
        return (o instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : o.toString())
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String name() {
        return "raw Lettuce";
    }

    @Override
    public void start(Consumer<byte[]> handler) {
        this.handler = handler;
        fetch();
    }

    @Override
    public void send(byte[] payload) {
        byte[][] args = {ascii(0), ascii(0), UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII), one,
            meta, payload};
        redis.<List<Object>>evalsha(publishSha, ScriptOutputType.MULTI, keys, args).subscribe(null, this::failed);
    }

    private void fetch() {
        if (closed) {
            return;
        }
        byte[][] args = {group, consumerName, ascii(FETCH), ascii(System.currentTimeMillis()), ascii(0), ascii(0)};
        redis.<List<Object>>evalsha(fetchSha, ScriptOutputType.MULTI, keys, args)
                .next()
                .subscribe(this::fetched, this::failed);
    }

    private void fetched(List<Object> reply) {
        List<?> entries = (List<?>) reply.get(0);
        if (entries.isEmpty()) {
            await((List<?>) reply.get(2));
            return;
        }
        for (Object o : entries) {
            List<?> e = (List<?>) o;
            handler.accept(payload((List<?>) e.get(3)));
            byte[][] args = {group, ascii(e.get(0)), (byte[]) e.get(1), ascii(e.get(2))};
            redis.<Long>evalsha(ackSha, ScriptOutputType.INTEGER, keys, args).next().subscribe(null, this::failed);
        }
        fetch();
    }

    private static byte[] payload(List<?> flat) {
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if ("payload".equals(new String((byte[]) flat.get(i), StandardCharsets.US_ASCII))) {
                return (byte[]) flat.get(i + 1);
            }
        }
        throw new IllegalStateException("stream entry without a payload field");
    }

    private void await(List<?> ends) {
        @SuppressWarnings("unchecked")
        XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[LEVELS];
        for (int level = 0; level < LEVELS; level++) {
            offsets[level] = XReadArgs.StreamOffset.from(keys[level],
                    new String((byte[]) ends.get(level), StandardCharsets.US_ASCII));
        }
        blocking.reactive().xread(XReadArgs.Builder.block(Duration.ofMillis(POLL_MS)).count(1), offsets)
                .then()
                .subscribe(null, this::failed, this::fetch);
    }

    private void failed(Throwable e) {
        if (!closed) {
            failure.record(e);
        }
    }

    @Override
    public void check() {
        failure.check("raw Lettuce on Redis at " + host + ":" + port);
    }

    @Override
    public void close() {
        closed = true;
        blocking.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        RedisKeys.delete(host, port, prefix);
    }
}
