package io.rivulet.benchmarks.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis peer benchmark: Rivulet's Redis backend, BullMQ and Redisson's queue, one after the
 * other on the same Redis, with the same message count, size and concurrency. Each does a produce
 * phase (a backlog of {@code count} messages, {@value #INFLIGHT} publishes in flight) and a consume
 * phase (drain the backlog at {@code concurrency}).
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
        List<Peer> peers = new ArrayList<>();
        peers.add(RivuletRedisPeer.run(host, port, count, SIZE, CONCURRENCY));
        peers.add(BullMqPeer.run(bullmqDir, host, port, count, SIZE, CONCURRENCY, INFLIGHT));
        peers.add(RedissonPeer.run(host, port, count, SIZE, CONCURRENCY, INFLIGHT));
        return peers;
    }
}
