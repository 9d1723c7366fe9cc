package io.rivulet.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A redis-server of the test's own on a free loopback port, with append-only persistence
 * ({@code appendfsync always}) in a directory under {@code target/}, that the test may kill and
 * start again. {@link #close()} kills it for good; a shutdown hook kills it should the JVM exit
 * without. {@link #tls} starts one that speaks only TLS, {@link #clusterNode} a Redis Cluster node.
 */
final class PrivateRedis implements AutoCloseable {

    final int port;
    final Path dir;
    private final List<String> extra;
    private final TestCertificates tls;
    private volatile Process process;

    /** A plain server with these extra {@code redis-server} arguments. */
    PrivateRedis(String... extraArgs) throws IOException {
        this(null, false, List.of(extraArgs));
    }

    private PrivateRedis(TestCertificates tls, boolean clusterBus, List<String> extraArgs) throws IOException {
        port = freePort(clusterBus);
        dir = Path.of("target", "redis-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(dir);
        this.tls = tls;
        extra = extraArgs;
        // Should the test JVM exit without close() (a crash, Ctrl-C), the server goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }));
        start();
    }

    /**
     * A server that speaks only TLS on {@link #port} ({@code --port 0 --tls-port}), with the
     * server certificate of {@code certs}; with {@code authClients}, it demands a client
     * certificate signed by the CA of {@code certs}.
     */
    static PrivateRedis tls(TestCertificates certs, boolean authClients) throws IOException {
        return new PrivateRedis(certs, false, List.of("--tls-auth-clients", authClients ? "yes" : "no",
                "--appendonly", "no"));
    }

    /** A Redis Cluster node, not yet part of a cluster, with persistence off (its bus port is free). */
    static PrivateRedis clusterNode() throws IOException {
        return new PrivateRedis(null, true, List.of("--cluster-enabled", "yes", "--cluster-config-file",
                "nodes.conf", "--cluster-node-timeout", "5000", "--appendonly", "no"));
    }

    /** Starts the server (again, on the same port and data) and waits until it answers PING. */
    void start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile",
                dir.resolve("redis.log").toString()));
        if (tls == null) {
            cmd.addAll(List.of("--port", Integer.toString(port)));
        } else {
            cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", tls.serverCertificate.toString(), "--tls-key-file", tls.serverKey.toString(),
                    "--tls-ca-cert-file", tls.caCertificate.toString()));
        }
        cmd.addAll(extra);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("Cannot start redis-server (is it installed? scripts/test.sh installs it): "
                    + e.getMessage(), e);
        }
        try {
            awaitPing();
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly(); // never leave a server behind
            throw e;
        }
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The server's log so far, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitPing() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        io.lettuce.core.RedisURI uri = io.lettuce.core.RedisURI.create("127.0.0.1", port);
        String password = password();
        if (password != null) {
            uri.setAuthentication(password);
        }
        RedisClient client = RedisClient.create(uri);
        if (tls != null) {
            uri.setSsl(true);
            client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder()
                    .trustManager(tls.caCertificate.toFile())
                    .keyManager(tls.clientCertificate.toFile(), tls.clientKey.toFile(), null).build()).build());
        }
        try {
            while (true) {
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    if ("PONG".equals(c.sync().ping())) {
                        return;
                    }
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        throw new IOException("redis-server on port " + port + " did not answer PING (see "
                                + dir.resolve("redis.log") + "): " + e.getMessage() + "\n" + logTail(), e);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private String password() {
        int i = extra.indexOf("--requirepass");
        return i < 0 ? null : extra.get(i + 1);
    }

    /** A free loopback port; for a cluster node, one whose bus port (+10,000) is free too. */
    private static int freePort(boolean clusterBus) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = clusterBus ? new ServerSocket(20_000 + (int) (Math.random() * 30_000), 1, loopback)
                    : new ServerSocket(0, 1, loopback)) {
                int port = s.getLocalPort();
                if (!clusterBus) {
                    return port;
                }
                try (ServerSocket bus = new ServerSocket(port + 10_000, 1, loopback)) {
                    return port;
                }
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("No free loopback port found for a private redis-server");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
