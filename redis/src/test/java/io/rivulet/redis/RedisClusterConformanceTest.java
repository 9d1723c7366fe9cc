package io.rivulet.redis;

import java.time.Duration;
import io.rivulet.core.kit.ConformanceKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole conformance kit, unchanged, on a private Redis Cluster of three masters that the test
 * starts (and always stops), through one seed node: every topic's keys live on the master of its
 * slot, so the kit's topics spread over all three.
 */
class RedisClusterConformanceTest extends RedisKitRun implements ConformanceKit {

    private static PrivateCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = PrivateCluster.start(3);
        warmUp(cluster.options().build());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    RedisOptions.Builder options() {
        return cluster.options().pollInterval(Duration.ofMillis(250));
    }
}
