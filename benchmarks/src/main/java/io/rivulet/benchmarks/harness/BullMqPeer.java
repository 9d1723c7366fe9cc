package io.rivulet.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * BullMQ doing the peer workload in Node ({@code benchmarks/peers/bullmq/bench.js}): add jobs with
 * {@code inflight} adds outstanding, then a Worker at {@code concurrency} completes them
 * ({@code removeOnComplete}). Needs {@code npm install} run in that directory ({@code scripts/bench.sh}
 * does it).
 */
final class BullMqPeer {

    private BullMqPeer() {
    }

    static Peer run(Path dir, String host, int port, int count, int size, int concurrency, int inflight)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(dir.resolve("node_modules/bullmq"))) {
            throw new IllegalStateException("BullMQ is not installed in " + dir
                    + ": run npm install --no-package-lock there");
        }
        Process node = new ProcessBuilder(List.of("node", "bench.js", host, Integer.toString(port),
                Integer.toString(count), Integer.toString(size), Integer.toString(concurrency),
                Integer.toString(inflight)))
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!node.waitFor(10, TimeUnit.MINUTES) || node.exitValue() != 0) {
            node.destroyForcibly();
            throw new IllegalStateException("BullMQ benchmark failed: " + out);
        }
        JsonNode result = Harness.JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
        String version = Harness.JSON.readTree(dir.resolve("node_modules/bullmq/package.json").toFile())
                .get("version").asText();
        return new Peer("BullMQ " + version, "Queue.add, Worker (removeOnComplete)",
                result.get("produce").asDouble(), result.get("consume").asDouble());
    }
}
