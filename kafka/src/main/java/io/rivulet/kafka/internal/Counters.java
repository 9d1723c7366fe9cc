package io.rivulet.kafka.internal;

import java.util.concurrent.atomic.LongAdder;

/** A topic's settlement counters, kept by the broker that settled (Kafka has no such counters). */
final class Counters {
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried = new LongAdder();

    void count(TopicConsumer.Outcome outcome) {
        switch (outcome) {
            case COMPLETED -> completed.increment();
            case FAILED -> failed.increment();
            case RETRIED -> retried.increment();
            default -> throw new IllegalArgumentException(outcome.name());
        }
    }
}
