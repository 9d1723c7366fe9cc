package io.rivulet.rabbit.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * One topic's counters kept by this backend instance: RabbitMQ counts ready messages, but not
 * unacknowledged ones per consumer nor completions, so in-flight, completed, failed and retried
 * are what this process saw (they start at zero with each broker).
 */
final class Counters {
    final LongAdder inFlight = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried = new LongAdder();
}
