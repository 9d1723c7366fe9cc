package io.rivulet.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.IntConsumer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Coalesces commands of one kind into script calls of many: an item goes out at once when fewer
 * than {@code maxInFlight} calls are under way; the items that come meanwhile wait and go out
 * together (up to {@code maxBatch} a call) as soon as one returns. No timer, so an idle client adds
 * no latency, and a busy one sends fewer, larger calls: Lettuce's I/O thread encodes and decodes
 * every command, and a call per item makes it the bottleneck. Items go out in the order they came
 * (calls are issued one at a time, on one connection); each item learns its own result.
 *
 * @param <T> what one item carries
 */
final class Batcher<T> {

    /** What a call's reply means for the item at {@code index} of its batch: {@code null} for success. */
    interface Replies {
        Throwable failure(Object reply, int index);
    }

    private final int maxBatch;
    private final int maxInFlight;
    private final Function<List<T>, Mono<Object>> call;
    private final Replies replies;
    private final IntConsumer afterBatch;
    private final Queue<Pending<T>> queue = new ConcurrentLinkedQueue<>();
    private int inFlight; // guarded by this

    /**
     * @param call issues one script call for a batch (never empty)
     * @param afterBatch told how many items a call settled, after their results were signalled
     */
    Batcher(int maxBatch, int maxInFlight, Function<List<T>, Mono<Object>> call, Replies replies,
            IntConsumer afterBatch) {
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.call = call;
        this.replies = replies;
        this.afterBatch = afterBatch;
    }

    /** The item's result: it goes out when subscribed. */
    Mono<Void> add(T item) {
        return Mono.create(sink -> {
            queue.offer(new Pending<>(item, sink));
            flush();
        });
    }

    private void flush() {
        for (;;) {
            List<Pending<T>> batch;
            List<T> items;
            synchronized (this) {
                if (inFlight >= maxInFlight || queue.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(Math.min(maxBatch, 16));
                for (Pending<T> p = queue.poll(); p != null; p = batch.size() < maxBatch ? queue.poll() : null) {
                    batch.add(p);
                }
                items = new ArrayList<>(batch.size());
                for (Pending<T> p : batch) {
                    items.add(p.item());
                }
                inFlight++;
                // Issued under the lock, so calls go out in the order their items came.
                call.apply(items).defaultIfEmpty(List.of())
                        .subscribe(reply -> done(batch, reply, null), e -> done(batch, null, e));
            }
        }
    }

    private void done(List<Pending<T>> batch, Object reply, Throwable error) {
        synchronized (this) {
            inFlight--;
        }
        flush(); // the next batch goes out before this one's results are signalled
        try {
            for (int i = 0; i < batch.size(); i++) {
                Throwable failed;
                try {
                    failed = error != null ? error : replies.failure(reply, i);
                } catch (RuntimeException unexpected) {
                    failed = unexpected; // an unexpected reply fails its items rather than leaving them hanging
                }
                if (failed == null) {
                    batch.get(i).sink().success();
                } else {
                    batch.get(i).sink().error(failed);
                }
            }
        } finally {
            afterBatch.accept(batch.size());
        }
    }

    private record Pending<T>(T item, MonoSink<Void> sink) {
    }
}
