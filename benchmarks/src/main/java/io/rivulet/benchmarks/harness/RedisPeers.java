package io.rivulet.benchmarks.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis peer benchmark: Rivulet's Redis backend, BullMQ and Redisson's queue, one after the
 * other on the same Redis, with the same message count, size and concurrency. Each does a produce
 * phase (a backlog of {@code count} messages, {@value #INFLIGHT} publishes in flight) and a consume
 * phase (drain the backlog at {@code concurrency}). The Java peers get an uncounted warm-up round
 * first; BullMQ runs in a Node process of its own and is not warmed up beyond its own run.
 */
final class RedisPeers {

    /** Publishes kept in flight by every producer (Rivulet's publishAll window). */
    static final int INFLIGHT = 256;
    /** Message size, in bytes. */
    static final int SIZE = 100;
    /** Consumer concurrency. */
    static final int CONCURRENCY = 64;

    private RedisPeers() {
    }

    static List<Peer> run(String host, int port, int count, Path bullmqDir) throws Exception {
        // The Java peers share this JVM: a first, uncounted round of a tenth of the messages each
        // warms their code up, as the Node process warms BullMQ's within its own run.
        int warmUp = Math.max(1, count / 10);
        RivuletRedisPeer.run(host, port, warmUp, SIZE, CONCURRENCY);
        RedissonPeer.run(host, port, warmUp, SIZE, CONCURRENCY, INFLIGHT);
        List<Peer> peers = new ArrayList<>();
        peers.add(RivuletRedisPeer.run(host, port, count, SIZE, CONCURRENCY));
        peers.add(BullMqPeer.run(bullmqDir, host, port, count, SIZE, CONCURRENCY, INFLIGHT));
        peers.add(RedissonPeer.run(host, port, count, SIZE, CONCURRENCY, INFLIGHT));
        return peers;
    }
}
