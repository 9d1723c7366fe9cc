package io.rivulet.core;

/**
 * A snapshot of a {@link Worker}'s or {@link WorkerPool}'s counters.
 *
 * @param name the worker's or pool's name
 * @param status its lifecycle status
 * @param workers how many workers (1 for a single worker)
 * @param activeWorkers how many of them are running (started, not yet stopped)
 * @param completed deliveries handled successfully and acked
 * @param failed deliveries that failed: returned for a later retry, dead-lettered, or left unsettled
 * @param inProgress handler runs going on right now
 * @param restarts times consuming failed and the worker subscribed again
 *                 ({@link WorkerOptions#restartOnError()})
 */
public record WorkerStats(String name, Worker.Status status, int workers, int activeWorkers,
                          long completed, long failed, int inProgress, long restarts) {

    /** Every delivery the worker settled: {@code completed + failed}. */
    public long total() {
        return completed + failed;
    }
}
