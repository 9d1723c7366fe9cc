package io.rivulet.benchmarks;

import io.rivulet.core.Broker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Several producer → consumer pairs at once, each on its own topic of one memory broker (Rivulet)
 * or its own sink (bare Reactor). Each invocation moves {@value #BATCH} messages in all, split
 * evenly over the pairs, so ops/s are messages/s summed over the pairs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MultiPairHandoff {

    /** Messages per invocation, over all pairs. */
    public static final int BATCH = 100_000;

    /** How many producer → consumer pairs run at once. */
    @Param({"2", "4"})
    public int pairs;

    private Broker broker;
    private Pairs rivulet;
    private Pairs sinks;

    /** Builds both sets of pipelines once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        broker = RivuletHandoff.newBroker();
        List<Handoff> r = new ArrayList<>();
        List<Handoff> s = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            r.add(new RivuletHandoff(broker, "bench.pair-" + i));
            s.add(new SinksHandoff());
        }
        rivulet = new Pairs(r);
        sinks = new Pairs(s);
    }

    /** Closes the pipelines and the broker. */
    @TearDown(Level.Trial)
    public void tearDown() {
        rivulet.close();
        sinks.close();
        broker.close().block(java.time.Duration.ofSeconds(10));
    }

    /** Rivulet's memory broker, one topic per pair. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rivulet() throws Exception {
        return rivulet.run(BATCH);
    }

    /** Bare Reactor sinks, one per pair. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int bareSinks() throws Exception {
        return sinks.run(BATCH);
    }

    /** Runs pipelines side by side, one producer thread each. */
    static final class Pairs implements AutoCloseable {
        private final List<Handoff> handoffs;
        private final ExecutorService producers;

        Pairs(List<Handoff> handoffs) {
            this.handoffs = handoffs;
            this.producers = Executors.newFixedThreadPool(handoffs.size(), r -> {
                Thread t = new Thread(r, "pair-producer");
                t.setDaemon(true);
                return t;
            });
        }

        /** Moves {@code messages} in all, split over the pairs; returns how many were acked. */
        int run(int messages) throws Exception {
            int each = messages / handoffs.size();
            List<Future<Integer>> runs = new ArrayList<>();
            for (Handoff h : handoffs) {
                runs.add(producers.submit(() -> h.run(each)));
            }
            int acked = 0;
            for (Future<Integer> f : runs) {
                acked += f.get(120, TimeUnit.SECONDS);
            }
            return acked;
        }

        @Override
        public void close() {
            handoffs.forEach(Handoff::close);
            producers.shutdownNow();
        }
    }
}
