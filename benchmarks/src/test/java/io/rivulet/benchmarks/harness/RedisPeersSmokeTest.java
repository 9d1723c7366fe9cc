package io.rivulet.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The peer harness starts every peer on the local Redis (as {@code scripts/test.sh} sets it up) and
 * each moves a tiny backlog through; installs BullMQ with {@code npm install} first if it is missing.
 */
class RedisPeersSmokeTest {

    private static final Path BULLMQ = Path.of("peers/bullmq");

    @Test
    void rivuletBullMqAndRedissonEachProduceAndConsumeTheBacklog() throws Exception {
        installBullMq();
        List<Peer> peers = RedisPeers.run("127.0.0.1", 6379, 300, BULLMQ);
        assertThat(peers).extracting(Peer::name)
                .satisfiesExactly(n -> assertThat(n).isEqualTo("Rivulet (redis)"),
                        n -> assertThat(n).isEqualTo("BullMQ 6.7.0"),
                        n -> assertThat(n).isEqualTo("Redisson 4.7.0"));
        assertThat(peers).allSatisfy(p -> {
            assertThat(p.produce()).isPositive();
            assertThat(p.consume()).isPositive();
        });
    }

    private static void installBullMq() throws Exception {
        if (Files.isDirectory(BULLMQ.resolve("node_modules/bullmq"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "install", "--no-package-lock", "--no-audit", "--no-fund",
                        "--loglevel=error")
                .directory(BULLMQ.toFile()).inheritIO().start();
        assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm install finished within 5 minutes").isTrue();
        assertThat(npm.exitValue()).as("npm install in " + BULLMQ.toAbsolutePath() + " (needs Node.js and npm)")
                .isZero();
    }
}
