package io.rivulet.core.kit;

import io.rivulet.core.Broker;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a backend gives the conformance kit for one test: a fresh broker on a clock, and the
 * backend's timing facts.
 */
public interface KitFixture {

    /** The broker under test, open, created for this test (topics are unique per test anyway). */
    Broker broker();

    /** Creates another broker on the same backend (for competing consumers or crash tests). */
    Broker newBroker();

    /** The clock the broker and operators run on. */
    KitClock clock();

    /** After how long an unsettled delivery of a vanished consumer comes back. */
    Duration visibilityTimeout();

    /** The longest real time to wait for an expected event. */
    default Duration patience() {
        return Duration.ofSeconds(15);
    }

    /**
     * A fixture from its parts: {@code broker} gives the current test's broker, {@code newBroker}
     * creates another one (the test class closes both after each test).
     */
    static KitFixture of(Supplier<Broker> broker, Supplier<Broker> newBroker, KitClock clock,
                         Duration visibilityTimeout) {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(newBroker, "newBroker");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        return new KitFixture() {
            @Override
            public Broker broker() {
                return broker.get();
            }

            @Override
            public Broker newBroker() {
                return newBroker.get();
            }

            @Override
            public KitClock clock() {
                return clock;
            }

            @Override
            public Duration visibilityTimeout() {
                return visibilityTimeout;
            }
        };
    }
}
