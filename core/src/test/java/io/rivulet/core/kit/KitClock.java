package io.rivulet.core.kit;

import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Time as the conformance kit sees it: virtual on the memory backend (advancing is instant and
 * deterministic), real on the others (advancing is a bounded real wait, needed only to prove that
 * something did not happen too early).
 */
public interface KitClock {

    /** The scheduler to hand to the broker and to every timed operator in a test. */
    Scheduler scheduler();

    /** Lets {@code d} pass. */
    void advance(Duration d);

    /** Whether {@link #advance} is virtual. */
    boolean isVirtual();

    /** A clock over a virtual-time scheduler. */
    static KitClock virtual(VirtualTimeScheduler vts) {
        return new KitClock() {
            @Override
            public Scheduler scheduler() {
                return vts;
            }

            @Override
            public void advance(Duration d) {
                vts.advanceTimeBy(d);
            }

            @Override
            public boolean isVirtual() {
                return true;
            }
        };
    }

    /** The real clock. */
    static KitClock real() {
        return new KitClock() {
            @Override
            public Scheduler scheduler() {
                return Schedulers.parallel();
            }

            @Override
            public void advance(Duration d) {
                // A bounded real wait: the only way to show a timed thing has not happened early.
                Mono.delay(d).block();
            }

            @Override
            public boolean isVirtual() {
                return false;
            }
        };
    }
}
