package io.rivulet.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.rivulet.redis.RedisOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The Lettuce client of one backend, standalone ({@link RedisClient}) or Redis Cluster
 * ({@link RedisClusterClient}, topology refreshed periodically and on redirects): a shared,
 * multiplexed connection for every non-blocking command, and new connections on demand for
 * consumers that block ({@code XREAD BLOCK}). Both kinds are used through the commands they share,
 * {@link RedisClusterReactiveCommands}; on a cluster, a command goes to the master of its first
 * key's slot, so a script or a blocking read of one topic goes to the node holding the topic.
 * All connections reconnect by themselves and name themselves with {@code CLIENT SETNAME}.
 */
final class Connections {

    /** Keys as UTF-8 strings, values as raw bytes. */
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    /** One connection, standalone or to a cluster, and its reactive commands. */
    record Link(StatefulConnection<String, byte[]> connection, RedisClusterReactiveCommands<String, byte[]> commands) {

        /** Closes the connection; never fails. */
        Mono<Void> close() {
            return Mono.fromCompletionStage(connection.closeAsync()).onErrorResume(e -> Mono.empty()).then();
        }
    }

    private final RedisOptions options;
    private final AbstractRedisClient client;
    private final Supplier<Mono<Link>> opener;
    private final Mono<Link> shared;
    private volatile boolean closed;
    private volatile boolean everConnected;
    private volatile boolean partitionsLoaded;
    private volatile RedisClusterReactiveCommands<String, byte[]> current;

    Connections(RedisOptions options) {
        this.options = options;
        List<RedisURI> uris = uris(options);
        ClientOptions base = clientOptions(options);
        if (options.cluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(SharedResources.INSTANCE, uris);
            cluster.setOptions(ClusterClientOptions.builder(base)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(options.clusterRefreshPeriod())
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
            this.client = cluster;
            // connectAsync needs the topology loaded; only the blocking getPartitions() loads it
            // the first time, so that runs once on a thread that may block.
            Mono<Object> topology = Mono.fromCallable(() -> (Object) cluster.getPartitions())
                    .subscribeOn(Schedulers.boundedElastic());
            this.opener = () -> (partitionsLoaded ? Mono.empty() : topology.doOnNext(p -> partitionsLoaded = true))
                    .then(Mono.fromCompletionStage(() -> cluster.connectAsync(CODEC)))
                    .map(c -> new Link(c, c.reactive()));
        } else {
            RedisClient standalone = RedisClient.create(SharedResources.INSTANCE);
            standalone.setOptions(base);
            RedisURI uri = uris.get(0);
            this.client = standalone;
            this.opener = () -> Mono.fromCompletionStage(() -> standalone.connectAsync(CODEC, uri))
                    .map(c -> new Link(c, c.reactive()));
        }
        // A failed connect is not cached: the next operation tries again.
        this.shared = connect()
                .doOnNext(c -> current = c.commands())
                .cache(c -> Duration.ofMillis(Long.MAX_VALUE), e -> Duration.ZERO, () -> Duration.ZERO);
    }

    private static ClientOptions clientOptions(RedisOptions o) {
        ClientOptions.Builder b = ClientOptions.builder()
                .autoReconnect(true)
                .protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(o.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(o.connectTimeout()).build());
        if (o.tls() && (o.tlsTrustedCertificates() != null || o.tlsClientCertificate() != null)) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
            if (o.tlsTrustedCertificates() != null) {
                ssl.trustManager(o.tlsTrustedCertificates().toFile());
            }
            if (o.tlsClientCertificate() != null) {
                ssl.keyManager(o.tlsClientCertificate().toFile(), o.tlsClientKey().toFile(),
                        o.tlsClientKeyPassword() == null ? null : o.tlsClientKeyPassword().toCharArray());
            }
            b.sslOptions(ssl.build());
        }
        return b.build();
    }

    /** The URI of Redis, or of each cluster seed: same credentials, TLS and names for all. */
    private static List<RedisURI> uris(RedisOptions o) {
        List<RedisURI> uris = new ArrayList<>();
        uris.add(uri(o, o.uri() != null ? RedisURI.create(o.uri()) : RedisURI.create(o.host(), o.port())));
        if (o.cluster()) {
            for (String seed : o.clusterSeeds().subList(1, o.clusterSeeds().size())) {
                URI parsed = URI.create("redis://" + seed);
                uris.add(uri(o, RedisURI.create(parsed.getHost(), parsed.getPort())));
            }
        }
        return uris;
    }

    private static RedisURI uri(RedisOptions o, RedisURI uri) {
        if (o.password() != null) {
            String user = o.username() != null ? o.username() : uriUser(o.uri());
            if (user == null) {
                uri.setAuthentication(o.password());
            } else {
                uri.setAuthentication(user, o.password());
            }
        } else if (o.uri() != null) {
            // Seeds beyond the URI's take its credentials (a no-op for the URI's own).
            uri.applyAuthentication(RedisURI.create(o.uri()));
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
        String info = uri == null ? null : URI.create(uri).getUserInfo();
        int colon = info == null ? -1 : info.indexOf(':');
        return colon > 0 ? info.substring(0, colon) : null;
    }

    /** The shared connection, connecting on first use. */
    Mono<Link> shared() {
        return shared;
    }

    /** The shared connection's commands once it is established, else {@code null}: saves an operator per command. */
    RedisClusterReactiveCommands<String, byte[]> current() {
        return current;
    }

    /** A new connection of its own, for blocking reads; the caller closes it. */
    Mono<Link> connect() {
        return Mono.defer(() -> closed ? Mono.error(new IllegalStateException("the Redis client is closed"))
                        : opener.get())
                // Lettuce's handshake now and then sees the channel close before Redis's error reply
                // (a refused AUTH among them) and reports only "Connection closed prematurely"; one
                // more attempt shows the real reason, or connects if Redis was just restarting.
                .retryWhen(Retry.max(1).filter(Connections::closedDuringHandshake)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .doOnNext(c -> everConnected = true);
    }

    private static boolean closedDuringHandshake(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisConnectionException && t.getMessage() != null
                    && t.getMessage().contains("closed prematurely")) {
                return true;
            }
        }
        return false;
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
        closed = true; // no new connection from now on: a consumer finishing late must not open one
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
