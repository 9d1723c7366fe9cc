package io.rivulet.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.rivulet.redis.RedisOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The Lettuce client of one backend: a shared, multiplexed connection for every non-blocking
 * command, and new connections on demand for consumers that block ({@code XREAD BLOCK}). All
 * reconnect by themselves and name themselves with {@code CLIENT SETNAME}.
 */
final class Connections {

    /** Keys as UTF-8 strings, values as raw bytes. */
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisOptions options;
    private final RedisClient client;
    private final RedisURI uri;
    private final Mono<StatefulRedisConnection<String, byte[]>> shared;
    private volatile boolean everConnected;
    private volatile StatefulRedisConnection<String, byte[]> current;

    Connections(RedisOptions options) {
        this.options = options;
        this.uri = uri(options);
        this.client = RedisClient.create(SharedResources.INSTANCE);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(options.connectTimeout()).build())
                .build());
        // A failed connect is not cached: the next operation tries again.
        this.shared = connect()
                .doOnNext(c -> current = c)
                .cache(c -> Duration.ofMillis(Long.MAX_VALUE), e -> Duration.ZERO, () -> Duration.ZERO);
    }

    private static RedisURI uri(RedisOptions o) {
        RedisURI uri = o.uri() != null ? RedisURI.create(o.uri()) : RedisURI.create(o.host(), o.port());
        if (o.password() != null) {
            String user = o.username() != null ? o.username() : uriUser(o.uri());
            if (user == null) {
                uri.setAuthentication(o.password());
            } else {
                uri.setAuthentication(user, o.password());
            }
        }
        if (o.tls()) {
            uri.setSsl(true);
            uri.setVerifyPeer(o.tlsVerifyPeer());
        }
        if (o.database() != null) {
            uri.setDatabase(o.database());
        }
        uri.setTimeout(o.commandTimeout());
        uri.setClientName(o.clientName());
        return uri;
    }

    private static String uriUser(String uri) {
        String info = uri == null ? null : java.net.URI.create(uri).getUserInfo();
        int colon = info == null ? -1 : info.indexOf(':');
        return colon > 0 ? info.substring(0, colon) : null;
    }

    /** The shared connection, connecting on first use. */
    Mono<StatefulRedisConnection<String, byte[]>> shared() {
        return shared;
    }

    /** The shared connection once it is established, else {@code null}: saves an operator per command. */
    StatefulRedisConnection<String, byte[]> current() {
        return current;
    }

    /** A new connection of its own, for blocking reads; the caller closes it. */
    Mono<StatefulRedisConnection<String, byte[]>> connect() {
        return Mono.defer(() -> Mono.fromCompletionStage(client.connectAsync(CODEC, uri)))
                // Lettuce's handshake now and then sees the channel close before Redis's error reply
                // (a refused AUTH among them) and reports only "Connection closed prematurely"; one
                // more attempt shows the real reason, or connects if Redis was just restarting.
                .retryWhen(Retry.max(1).filter(Connections::closedDuringHandshake)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .doOnNext(c -> everConnected = true);
    }

    private static boolean closedDuringHandshake(Throwable e) {
        return e instanceof RedisConnectionException && e.getMessage() != null
                && e.getMessage().contains("closed prematurely");
    }

    /** Whether any connection ever succeeded: failing to connect after that is a passing outage. */
    boolean everConnected() {
        return everConnected;
    }

    RedisOptions options() {
        return options;
    }

    /** Closes every connection and shuts the client down (not the shared event loops). */
    Mono<Void> close() {
        // Shutting the client down closes every connection it opened.
        return Mono.fromCompletionStage(client.shutdownAsync(0, 2, TimeUnit.SECONDS))
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    /**
     * Event loops and timers shared by every broker of the JVM, as Lettuce recommends: a broker
     * then costs connections, not threads. Daemon threads, created on first use, never shut down.
     */
    private static final class SharedResources {
        static final ClientResources INSTANCE = DefaultClientResources.builder()
                .ioThreadPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .computationThreadPoolSize(2)
                .build();
    }
}
