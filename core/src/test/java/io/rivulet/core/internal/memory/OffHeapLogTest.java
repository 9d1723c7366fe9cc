package io.rivulet.core.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OffHeapLogTest {

    private static ByteBuffer record(int n, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            b.put((byte) (n * 31 + i));
        }
        return b.flip();
    }

    private static void assertRecord(ByteBuffer got, int n, int size) {
        assertThat(got).isEqualTo(record(n, size));
    }

    @Test
    void recordsAcrossSegmentsComeBackInOrder() {
        OffHeapLog log = new OffHeapLog();
        int count = 3 * OffHeapLog.SEGMENT_BYTES / 1000; // three segments and more
        for (int i = 0; i < count; i++) {
            log.append(record(i, 1000));
        }
        assertThat(log.records()).isEqualTo(count);
        assertThat(log.bytes()).isEqualTo(count * 1004L);
        for (int i = 0; i < count; i++) {
            assertRecord(log.take(), i, 1000);
        }
        assertThat(log.isEmpty()).isTrue();
        assertThat(log.bytes()).isZero();
    }

    @Test
    void recordLargerThanASegmentGetsOneOfItsOwn() {
        OffHeapLog log = new OffHeapLog();
        int big = 3 * OffHeapLog.SEGMENT_BYTES;
        log.append(record(1, 10));
        log.append(record(2, big));
        log.append(record(3, 10));
        assertRecord(log.take(), 1, 10);
        assertRecord(log.take(), 2, big);
        assertRecord(log.take(), 3, 10);
        assertThat(log.isEmpty()).isTrue();
    }

    @Test
    void emptyRecordRoundTrips() {
        OffHeapLog log = new OffHeapLog();
        log.append(ByteBuffer.allocate(0));
        log.append(record(1, 5));
        assertThat(log.take().remaining()).isZero();
        assertRecord(log.take(), 1, 5);
    }

    @Test
    void logReadAsFastAsItIsWrittenReusesItsSegments() {
        AtomicInteger allocated = new AtomicInteger();
        OffHeapLog log = new OffHeapLog(size -> {
            allocated.incrementAndGet();
            return ByteBuffer.allocateDirect(size);
        });
        for (int i = 0; i < 20_000; i++) { // 12 MB through the log
            log.append(record(i, 600));
            assertRecord(log.take(), i, 600);
        }
        assertThat(allocated.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void directMemoryRunningOutKeepsTheRecordsOnTheHeap() {
        AtomicInteger allocated = new AtomicInteger();
        OffHeapLog log = new OffHeapLog(size -> {
            if (allocated.incrementAndGet() > 1) {
                throw new OutOfMemoryError("Cannot reserve " + size + " bytes of direct buffer memory");
            }
            return ByteBuffer.allocateDirect(size);
        });
        int count = 3 * OffHeapLog.SEGMENT_BYTES / 1000;
        for (int i = 0; i < count; i++) {
            log.append(record(i, 1000));
        }
        assertThat(log.onHeap()).isTrue();
        // It tried direct memory once for the second segment, then stopped asking.
        assertThat(allocated.get()).isEqualTo(2);
        for (int i = 0; i < count; i++) {
            assertRecord(log.take(), i, 1000);
        }
        assertThat(log.onHeap()).isFalse();
    }

    @Test
    void clearDropsEveryRecord() {
        OffHeapLog log = new OffHeapLog();
        for (int i = 0; i < 5000; i++) {
            log.append(record(i, 1000));
        }
        log.clear();
        assertThat(log.isEmpty()).isTrue();
        assertThat(log.bytes()).isZero();
        log.append(record(9, 10));
        assertRecord(log.take(), 9, 10);
    }
}
