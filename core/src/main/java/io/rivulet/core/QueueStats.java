package io.rivulet.core;

/**
 * A snapshot of one queue's counters.
 *
 * @param topic the queue's topic
 * @param ready messages waiting to be delivered now
 * @param inFlight delivered and not yet settled
 * @param delayed waiting for their {@code availableAt} (delayed publish, nack with delay)
 * @param dead currently held in the topic's dead letters
 * @param completed acknowledged since the broker started counting (backend-dependent persistence)
 * @param failed dead-lettered since the broker started counting
 * @param retried nacked (returned for redelivery) since the broker started counting
 */
public record QueueStats(String topic, long ready, long inFlight, long delayed, long dead,
                         long completed, long failed, long retried) {

    /** Every message the queue holds that has not ended: ready + in flight + delayed. */
    public long pending() {
        return ready + inFlight + delayed;
    }
}
