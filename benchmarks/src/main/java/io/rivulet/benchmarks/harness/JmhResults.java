package io.rivulet.benchmarks.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JMH's JSON results, paired: in each benchmark class and parameter set, every method whose name
 * has {@code rivulet} in it is matched with the baseline doing the same work ({@code bare…},
 * {@code raw…}, …): the only other method, or the one whose name shares the rest
 * ({@code rivuletPublish} ↔ {@code rawPublish}, {@code publishRivulet} ↔ {@code publishRawLettuce}).
 */
final class JmhResults {

    /** One JMH score: throughput (ops/s) or, in sample mode, latency percentiles. */
    record Score(String method, String mode, double score, double error, String unit, Double p50, Double p99,
                 Double allocBytesPerOp) {
    }

    /** A Rivulet score next to its baseline's. */
    record Pair(String benchmark, String params, Score rivulet, Score baseline) {
        /** Rivulet over baseline for throughput; baseline over Rivulet for latency (higher is better). */
        double ratio() {
            if (rivulet.mode().equals("thrpt")) {
                return rivulet.score() / baseline.score();
            }
            return baseline.score() / rivulet.score();
        }
    }

    private JmhResults() {
    }

    /** Reads and pairs {@code file}; an absent file has no pairs. */
    static List<Pair> read(Path file) throws Exception {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root = JsonMapper.builder().build().readTree(file.toFile());
        Map<String, List<Score>> groups = new LinkedHashMap<>();
        for (JsonNode run : root) {
            String full = run.get("benchmark").asText();
            int dot = full.lastIndexOf('.');
            String benchmark = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
            Map<String, String> params = new TreeMap<>();
            JsonNode p = run.get("params");
            if (p != null) {
                p.properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            }
            groups.computeIfAbsent(benchmark + "\t" + params, k -> new ArrayList<>())
                    .add(score(full.substring(dot + 1), run));
        }
        List<Pair> pairs = new ArrayList<>();
        groups.forEach((key, scores) -> {
            String[] parts = key.split("\t", 2);
            String params = parts[1].equals("{}") ? "" : parts[1].substring(1, parts[1].length() - 1);
            for (Score r : scores) {
                if (!isRivulet(r)) {
                    continue;
                }
                Score base = baselineFor(r, scores);
                if (base != null) {
                    pairs.add(new Pair(parts[0], params, r, base));
                }
            }
        });
        return pairs;
    }

    private static Score baselineFor(Score rivulet, List<Score> scores) {
        List<Score> others = scores.stream().filter(s -> !isRivulet(s)).toList();
        long rivulets = scores.stream().filter(JmhResults::isRivulet).count();
        if (rivulets == 1 && others.size() == 1) {
            return others.get(0);
        }
        // The rest of the name says which work: rivuletPublish ~ rawPublish, publishRivulet ~ publishRawLettuce.
        String stem = rivulet.method().toLowerCase(Locale.ROOT).replace("rivulet", "");
        return others.stream()
                .filter(s -> !stem.isEmpty())
                .filter(s -> {
                    String name = s.method().toLowerCase(Locale.ROOT);
                    return name.startsWith(stem) || name.endsWith(stem);
                })
                .findFirst().orElse(null);
    }

    private static boolean isRivulet(Score s) {
        return s.method().toLowerCase(Locale.ROOT).contains("rivulet");
    }

    private static Score score(String method, JsonNode run) {
        JsonNode primary = run.get("primaryMetric");
        JsonNode percentiles = primary.get("scorePercentiles");
        Double p50 = null;
        Double p99 = null;
        String mode = run.get("mode").asText();
        if (mode.equals("sample") && percentiles != null) {
            p50 = percentiles.get("50.0").asDouble();
            p99 = percentiles.get("99.0").asDouble();
        }
        Double alloc = null;
        JsonNode secondary = run.get("secondaryMetrics");
        // JMH 1.37 names it "gc.alloc.rate.norm"; older versions prefixed a middle dot.
        for (String name : new String[] {"gc.alloc.rate.norm", "·gc.alloc.rate.norm"}) {
            if (secondary != null && secondary.get(name) != null) {
                alloc = secondary.get(name).get("score").asDouble();
            }
        }
        double error = primary.get("scoreError").isNumber() ? primary.get("scoreError").asDouble() : Double.NaN;
        return new Score(method, mode, primary.get("score").asDouble(), error, primary.get("scoreUnit").asText(),
                p50, p99, alloc);
    }
}
