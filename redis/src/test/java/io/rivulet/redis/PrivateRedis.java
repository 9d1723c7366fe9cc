package io.rivulet.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
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
 * start again. {@link #close()} kills it for good.
 */
final class PrivateRedis implements AutoCloseable {

    final int port;
    final Path dir;
    private final List<String> extra;
    private Process process;

    PrivateRedis(String... extraArgs) throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        dir = Path.of("target", "redis-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(dir);
        extra = List.of(extraArgs);
        start();
    }

    /** Starts the server (again, on the same port and data) and waits until it answers PING. */
    void start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
                "--save", "", "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extra);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("Cannot start redis-server (is it installed? scripts/test.sh installs it): "
                    + e.getMessage(), e);
        }
        awaitPing();
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitPing() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        io.lettuce.core.RedisURI uri = io.lettuce.core.RedisURI.create("127.0.0.1", port);
        String password = password();
        if (password != null) {
            uri.setAuthentication(password);
        }
        RedisClient client = RedisClient.create(uri);
        try {
            while (true) {
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    if ("PONG".equals(c.sync().ping())) {
                        return;
                    }
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        throw new IOException("redis-server on port " + port + " did not answer PING (see "
                                + dir.resolve("redis.log") + "): " + e.getMessage(), e);
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

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
