package io.rivulet.core.kit;

import io.rivulet.core.Broker;
import java.time.Duration;

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
}
