package io.rivulet.benchmarks.redis;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Redis publish, and publish → consume → ack, through Rivulet and through raw Lettuce issuing the
 * same commands, in one JMH run against the Redis at {@code redis.host}:{@code redis.port}
 * (127.0.0.1:6379). Each invocation moves {@value #BATCH} messages of 100 bytes, so the reported
 * ops/s are messages/s; a round trip counts each message once.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RedisQueue {

    /** Messages per invocation. */
    public static final int BATCH = 10_000;

    private RedisPeer rivulet;
    private RawLettucePeer raw;

    /** Connects both peers once per trial, each under its own key prefix. */
    @Setup(Level.Trial)
    public void setUp() {
        rivulet = new RivuletPeer();
        raw = new RawLettucePeer();
    }

    /** Closes both peers and deletes their keys. */
    @TearDown(Level.Trial)
    public void tearDown() {
        rivulet.close();
        raw.close();
    }

    /** Deletes what the publish benchmarks piled up, so Redis holds one iteration's messages at most. */
    @TearDown(Level.Iteration)
    public void reset() {
        rivulet.reset();
        raw.reset();
    }

    /** Rivulet: publishAll of {@value #BATCH} messages. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int publishRivulet() {
        return rivulet.publish(BATCH);
    }

    /** Raw Lettuce: the same publish script calls, {@value RawLettucePeer#PUBLISH_BATCH} messages each. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int publishRawLettuce() {
        return raw.publish(BATCH);
    }

    /** Plain Lettuce as a user would write it: one XADD per message, {@value RedisPeer#WINDOW} in flight. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int publishRawXadd() {
        return raw.publishXadd(BATCH);
    }

    /** Rivulet: publishAll, then consume and ack every message. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int roundTripRivulet() {
        return rivulet.roundTrip(BATCH);
    }

    /** Raw Lettuce: the same publish, fetch and ack script calls, each as full as it can be. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int roundTripRawLettuce() {
        return raw.roundTrip(BATCH);
    }
}
