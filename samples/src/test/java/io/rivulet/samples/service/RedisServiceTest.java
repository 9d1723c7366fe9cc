package io.rivulet.samples.service;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.UUID;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.TestPropertySource;

/**
 * The service's contract on the real Redis at 127.0.0.1:6379, under a key prefix of its own. After
 * the class the service is stopped ({@code @DirtiesContext}) and then its keys are deleted.
 */
@TestPropertySource(properties = {"rivulet.backend=redis", "rivulet.redis.host=127.0.0.1", "rivulet.redis.port=6379"})
@DirtiesContext
@TestExecutionListeners(listeners = RedisServiceTest.DeleteKeys.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class RedisServiceTest extends ServiceContractTest {

    static final String REDIS = "redis://127.0.0.1:6379";
    static final String PREFIX = "rivulet-svc-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @DynamicPropertySource
    static void keyPrefix(DynamicPropertyRegistry registry) {
        registry.add("rivulet.redis.key-prefix", () -> PREFIX);
    }

    /**
     * Deletes the run's keys once the application is closed: listeners' {@code afterTestClass} run in
     * reverse order, so the highest precedence runs after {@code @DirtiesContext} closed the context.
     */
    static final class DeleteKeys implements TestExecutionListener, Ordered {
        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void afterTestClass(TestContext testContext) {
            deleteKeys(REDIS, PREFIX);
        }
    }

    /** Deletes every key starting with {@code prefix} (SCAN, never a flush). */
    static void deleteKeys(String uri, String prefix) {
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    redis.del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }
}
