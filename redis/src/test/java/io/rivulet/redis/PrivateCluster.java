package io.rivulet.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Redis Cluster of the test's own: {@code n} {@link PrivateRedis#clusterNode() cluster nodes}
 * joined with {@code redis-cli --cluster create ... --cluster-replicas 0}, ready once every node
 * reports {@code cluster_state:ok} and sees all masters. {@link #close()} kills every node; their
 * shutdown hooks kill them should the JVM exit first.
 */
final class PrivateCluster implements AutoCloseable {

    final List<PrivateRedis> nodes;
    private final RedisClient client = RedisClient.create();
    private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();

    private PrivateCluster(List<PrivateRedis> nodes) {
        this.nodes = nodes;
    }

    /** Starts {@code n} masters (3 or more) and joins them into a cluster. */
    static PrivateCluster start(int n) throws IOException, InterruptedException {
        List<PrivateRedis> nodes = new ArrayList<>();
        PrivateCluster cluster = new PrivateCluster(nodes);
        try {
            for (int i = 0; i < n; i++) {
                nodes.add(PrivateRedis.clusterNode());
            }
            cluster.create();
            cluster.awaitReady();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close(); // never leave nodes behind
            throw e;
        }
    }

    private void create() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> cmd.add("127.0.0.1:" + node.port));
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        java.nio.file.Path log = nodes.get(0).dir.resolve("cluster-create.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("redis-cli --cluster create did not finish within 60 s: " + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new IOException("redis-cli --cluster create failed (exit " + p.exitValue() + "): "
                    + Files.readString(log));
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (PrivateRedis node : nodes) {
            connections.add(client.connect(io.lettuce.core.RedisURI.create("127.0.0.1", node.port)));
        }
        while (!ready()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("The private Redis Cluster did not reach cluster_state:ok within 60 s:\n"
                        + nodes.get(0).logTail());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private boolean ready() {
        for (StatefulRedisConnection<String, String> c : connections) {
            if (!c.sync().clusterInfo().contains("cluster_state:ok") || c.sync().clusterSlots().size() != nodes.size()) {
                return false;
            }
        }
        return true;
    }

    /** Options of a broker reaching the cluster through its first node, with short timeouts for tests. */
    RedisOptions.Builder options() {
        return RedisOptions.builder().host("127.0.0.1").port(nodes.get(0).port).cluster(true)
                .visibilityTimeout(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(250))
                .clientName("rivulet-test");
    }

    /** Commands on node {@code i} alone (no redirects). */
    RedisCommands<String, String> node(int i) {
        return connections.get(i).sync();
    }

    /**
     * Moves the slot of {@code key} from node {@code from} to node {@code to} the way
     * {@code redis-cli --cluster reshard} does: IMPORTING / MIGRATING, {@code MIGRATE} of its keys,
     * then the new owner announced to every node. Clients meanwhile get ASK and MOVED redirects.
     */
    void moveSlotOf(String key, int from, int to) {
        int slot = node(0).clusterKeyslot(key).intValue();
        String fromId = node(from).clusterMyId();
        String toId = node(to).clusterMyId();
        node(to).clusterSetSlotImporting(slot, fromId);
        node(from).clusterSetSlotMigrating(slot, toId);
        for (List<String> keys = node(from).clusterGetKeysInSlot(slot, 100); !keys.isEmpty();
                keys = node(from).clusterGetKeysInSlot(slot, 100)) {
            node(from).migrate("127.0.0.1", nodes.get(to).port, 0, 10_000,
                    io.lettuce.core.MigrateArgs.Builder.keys(keys));
        }
        // The new owner first, then the old one, then the rest, as the Redis Cluster spec asks.
        node(to).clusterSetSlotNode(slot, toId);
        node(from).clusterSetSlotNode(slot, toId);
        for (int i = 0; i < nodes.size(); i++) {
            if (i != to && i != from) {
                node(i).clusterSetSlotNode(slot, toId);
            }
        }
    }

    /** The index of the node whose slots hold {@code key}. */
    int nodeOf(String key) {
        long slot = node(0).clusterKeyslot(key);
        for (int i = 0; i < nodes.size(); i++) {
            for (String line : node(i).clusterNodes().split("\n")) {
                if (line.contains("myself") && owns(line, slot)) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("No node owns slot " + slot);
    }

    private static boolean owns(String nodesLine, long slot) {
        String[] fields = nodesLine.trim().split(" ");
        for (int f = 8; f < fields.length; f++) {
            String range = fields[f];
            if (range.startsWith("[")) {
                continue; // a slot being migrated
            }
            int dash = range.indexOf('-');
            long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
            long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        connections.forEach(StatefulRedisConnection::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        for (PrivateRedis node : nodes) {
            node.close();
        }
    }
}
