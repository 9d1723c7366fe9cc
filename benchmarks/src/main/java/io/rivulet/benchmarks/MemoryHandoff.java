package io.rivulet.benchmarks;

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
 * In-memory publish → consume → ack throughput of one producer and one consumer thread:
 * Rivulet's memory broker against a bare Reactor {@code Sinks} pipeline doing the same hand-off.
 * Each invocation moves {@value #BATCH} messages, so the reported ops/s are messages/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MemoryHandoff {

    /** Messages per invocation. */
    public static final int BATCH = 100_000;

    private Handoff rivulet;
    private Handoff sinks;

    /** Builds both pipelines once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        rivulet = new RivuletHandoff();
        sinks = new SinksHandoff();
    }

    /** Closes both pipelines. */
    @TearDown(Level.Trial)
    public void tearDown() {
        rivulet.close();
        sinks.close();
    }

    /** Rivulet's memory broker: publishAll, consume, ack. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rivulet() throws InterruptedException {
        return rivulet.run(BATCH);
    }

    /** Bare Reactor: unicast sink, publishOn, per-message ack countdown. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int bareSinks() throws InterruptedException {
        return sinks.run(BATCH);
    }
}
