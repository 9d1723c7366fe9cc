package io.rivulet.benchmarks.operators;

import io.rivulet.core.BatchHandler;
import io.rivulet.core.BatchOptions;
import io.rivulet.core.Delivery;
import io.rivulet.core.Handle;
import io.rivulet.core.HandleOptions;
import io.rivulet.core.Handler;
import io.rivulet.core.Message;
import io.rivulet.core.Outcome;
import io.rivulet.core.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * What each Rivulet operator costs over the bare Reactor pipeline doing the same work: the same
 * {@value #BATCH} deliveries (no broker behind them, settling only counts), the same do-nothing
 * handler, each delivery settled once. {@code rivulet} runs the operator; {@code bare} runs
 * {@code flatMap} / {@code groupBy} + {@code concatMap} / {@code bufferTimeout} / {@code retryWhen}.
 * ops/s are deliveries/s.
 *
 * <p>{@code retry}: every message fails its first run and succeeds on the second, after an
 * in-process backoff of 1 ms (Rivulet's {@link RetryPolicy}, Reactor's {@code Retry.fixedDelay}),
 * so both sides pay one timer per message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class OperatorOverhead {

    /** Deliveries per invocation. */
    public static final int BATCH = 10_000;
    /** Concurrency of both sides (Rivulet's default). */
    static final int CONCURRENCY = HandleOptions.DEFAULT_CONCURRENCY;
    /** Distinct keys for the key-ordered operator. */
    static final int KEYS = 64;
    /** Batch size of the batch window. */
    static final int BATCH_SIZE = 100;
    private static final Duration BACKOFF = Duration.ofMillis(1);

    /** Which operator: concurrently, inKeyOrder, batched or retry. */
    @Param({"concurrently", "inKeyOrder", "batched", "retry"})
    public String operator;

    /** Deliveries per invocation; the smoke test lowers it. */
    int deliveries = BATCH;

    private List<Message<byte[]>> messages;

    /** Builds the messages and both pipelines. */
    @Setup(Level.Trial)
    public void setUp() {
        messages = new ArrayList<>(deliveries);
        byte[] payload = new byte[100];
        for (int i = 0; i < deliveries; i++) {
            messages.add(Message.builder(payload).topic("bench.operators").key("k" + (i % KEYS)).build());
        }
    }

    /** The Rivulet operator. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rivulet() {
        return run(rivuletPipeline(operator, failsFirstRun()));
    }

    /** The bare Reactor pipeline doing the same. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int bare() {
        return run(barePipeline(operator, failsFirstRun()));
    }

    /** Runs one pipeline over fresh deliveries; returns how many were settled, failing if not all. */
    int run(Function<Flux<Delivery<byte[]>>, Flux<?>> pipeline) {
        BenchDelivery.Settled settled = new BenchDelivery.Settled();
        Flux<Delivery<byte[]>> source = Flux.fromIterable(messages).map(m -> new BenchDelivery(m, settled));
        pipeline.apply(source).then().block(Duration.ofSeconds(60));
        int n = settled.count.get();
        if (n != deliveries) {
            throw new IllegalStateException(operator + ": settled " + n + " of " + deliveries);
        }
        return n;
    }

    /** The Rivulet operator {@code op}; {@code failing} is the retry path's handler, fresh per run. */
    static Function<Flux<Delivery<byte[]>>, Flux<?>> rivuletPipeline(String op, Handler<byte[]> failing) {
        Handler<byte[]> nothing = m -> Mono.empty();
        HandleOptions options = HandleOptions.builder().concurrency(CONCURRENCY).build();
        switch (op) {
            case "concurrently":
                return f -> f.transform(Handle.concurrently(nothing, options));
            case "inKeyOrder":
                return f -> f.transform(Handle.inKeyOrder(nothing, options));
            case "batched":
                BatchOptions batch = BatchOptions.builder().maxSize(BATCH_SIZE).maxWait(Duration.ofSeconds(1)).build();
                return f -> f.transform(Handle.batched(BatchHandler.<byte[]>of(list -> Mono.empty()), batch));
            case "retry":
                RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).initialBackoff(BACKOFF).maxBackoff(BACKOFF)
                        .jitter(0).build();
                HandleOptions retrying = options.mutate().retryPolicy(policy).build();
                return f -> f.transform(Handle.concurrently(failing, retrying))
                        .doOnNext(OperatorOverhead::requireAcked);
            default:
                throw new IllegalArgumentException("unknown operator " + op);
        }
    }

    /** The bare pipeline doing what {@link #rivuletPipeline} does. */
    static Function<Flux<Delivery<byte[]>>, Flux<?>> barePipeline(String op, Handler<byte[]> failing) {
        switch (op) {
            case "concurrently":
                return f -> f.flatMap(d -> Mono.empty().then(d.ack()).thenReturn(d), CONCURRENCY);
            case "inKeyOrder":
                return f -> f.groupBy(d -> Math.floorMod(d.message().key().hashCode(), CONCURRENCY))
                        .flatMap(lane -> lane.concatMap(d -> Mono.empty().then(d.ack()).thenReturn(d)),
                                CONCURRENCY);
            case "batched":
                return f -> f.bufferTimeout(BATCH_SIZE, Duration.ofSeconds(1))
                        .concatMap(list -> Mono.empty().then(Flux.fromIterable(list).concatMap(Delivery::ack).then())
                                .thenReturn(list));
            case "retry":
                return f -> f.flatMap(d -> Mono.defer(() -> failing.handle(d.message()))
                        .retryWhen(Retry.fixedDelay(2, BACKOFF))
                        .then(d.ack())
                        .thenReturn(d), CONCURRENCY);
            default:
                throw new IllegalArgumentException("unknown operator " + op);
        }
    }

    /** A handler whose first run of each message fails with a temporary error. */
    static Handler<byte[]> failsFirstRun() {
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        return m -> failedOnce.add(m.id()) ? Mono.error(new IllegalStateException("first run fails")) : Mono.empty();
    }

    private static void requireAcked(Outcome<byte[]> outcome) {
        if (outcome.status() != Outcome.Status.ACKED) {
            throw new IllegalStateException("expected ACKED after one retry, got " + outcome.status());
        }
    }
}
