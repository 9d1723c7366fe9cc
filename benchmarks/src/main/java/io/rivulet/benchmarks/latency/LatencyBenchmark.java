package io.rivulet.benchmarks.latency;

import io.rivulet.kafka.testing.KafkaTestBroker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Publish → handler latency of Rivulet next to the raw client doing the same commands, per
 * backend, in one run: memory (vs bare Reactor Sinks), Redis (vs raw Lettuce), Kafka (vs raw
 * kafka-clients, on a broker this class starts) and RabbitMQ (vs raw amqp-client).
 *
 * <p>Latency is the time from the send to the consumer's handler receiving the message, before it
 * acks (the ack follows on both sides and is not included). Two load shapes (see {@link Driver}):
 * ping-pong, one message at a time; and open loop at a fixed rate, measured from each message's
 * intended send time. Both sides of a backend stay connected for the whole run; after a warm-up of
 * each, every round runs each load shape on both sides, alternating which goes first; the samples
 * of all rounds are pooled into one set per side and shape.
 *
 * <pre>
 * java -Drivulet.kafka.broker.classpath=kafka/test-broker/target/broker-classpath.txt \
 *      -cp benchmarks/target/benchmarks.jar io.rivulet.benchmarks.latency.LatencyBenchmark \
 *      [pings] [rate] [millis] [rounds] [backends, e.g. memory,redis,kafka,rabbit]
 * </pre>
 * Redis and RabbitMQ are the ones at {@code REDIS_HOST}/{@code REDIS_PORT} and {@code RABBIT_HOST}
 * (default 127.0.0.1, 6379).
 */
public final class LatencyBenchmark {

    /** Every backend, in report order. */
    public static final List<String> ALL = List.of(Backends.MEMORY, Backends.REDIS, Backends.KAFKA, Backends.RABBIT);

    /**
     * How much to measure.
     *
     * @param pings  ping-pong messages per side and round
     * @param rate   open-loop messages per second
     * @param millis open-loop duration per side and round
     * @param rounds rounds per backend
     */
    public record Settings(int pings, int rate, long millis, int rounds) {
        /** Validates every field, naming the bad one. */
        public Settings {
            if (pings < 1 || rate < 1 || millis < 1 || rounds < 1) {
                throw new IllegalArgumentException("latency settings must all be positive: pings=" + pings
                        + ", rate=" + rate + ", millis=" + millis + ", rounds=" + rounds);
            }
        }

        String openLoop() {
            return String.format(Locale.ROOT, "open loop %,d/s", rate);
        }
    }

    /**
     * One load shape on one backend: Rivulet's latencies and the raw client's, in nanoseconds.
     *
     * @param backend  memory, redis, kafka or rabbit
     * @param mode     {@code ping-pong} or {@code open loop N/s}
     * @param baseline the raw client's name
     * @param rivulet  Rivulet's percentiles
     * @param raw      the raw client's percentiles
     */
    public record Row(String backend, String mode, String baseline, Percentiles rivulet, Percentiles raw) {
        /** Rivulet's median over the raw client's (1.0: the same; above: Rivulet slower). */
        public double p50Ratio() {
            return (double) rivulet.p50() / raw.p50();
        }

        /** Rivulet's p99 over the raw client's. */
        public double p99Ratio() {
            return (double) rivulet.p99() / raw.p99();
        }
    }

    /**
     * What one run measured: its settings and a row per backend and load shape.
     *
     * @param settings how much was measured
     * @param rows     in the order of {@link #ALL}, ping-pong first
     */
    public record Results(Settings settings, List<Row> rows) {
    }

    private LatencyBenchmark() {
    }

    /** Runs the backends named in args (all by default) and prints the table. */
    public static void main(String[] args) throws Exception {
        Settings s = new Settings(args.length > 0 ? Integer.parseInt(args[0]) : 1000,
                args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                args.length > 2 ? Long.parseLong(args[2]) : 5000,
                args.length > 3 ? Integer.parseInt(args[3]) : 3);
        List<String> backends = args.length > 4 ? Arrays.asList(args[4].split(",")) : ALL;
        System.out.print(LatencyTable.markdown(run(s, backends), s));
    }

    /** Measures {@code backends} (names from {@link #ALL}) with {@code s}; starts a Kafka broker if needed. */
    public static List<Row> run(Settings s, List<String> backends) throws Exception {
        for (String b : backends) {
            if (!ALL.contains(b)) {
                throw new IllegalArgumentException("unknown backend '" + b + "': use one of " + ALL);
            }
        }
        List<Row> rows = new ArrayList<>();
        String redisHost = System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1");
        int redisPort = Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379"));
        String rabbitHost = System.getenv().getOrDefault("RABBIT_HOST", "127.0.0.1");
        for (String b : ALL) {
            if (!backends.contains(b)) {
                continue;
            }
            System.err.println("latency: " + b);
            switch (b) {
                case Backends.MEMORY -> rows.addAll(compare(b, s, Backends::rivuletMemory, Backends::sinks));
                case Backends.REDIS -> rows.addAll(compare(b, s, () -> Backends.rivuletRedis(redisHost, redisPort),
                        () -> Backends.rawLettuce(redisHost, redisPort)));
                case Backends.KAFKA -> {
                    try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
                        String bootstrap = kafka.bootstrapServers();
                        rows.addAll(compare(b, s, () -> Backends.rivuletKafka(bootstrap),
                                () -> Backends.rawKafka(bootstrap)));
                    }
                }
                default -> rows.addAll(compare(b, s, () -> Backends.rivuletRabbit(rabbitHost),
                        () -> Backends.rawAmqp(rabbitHost)));
            }
        }
        return rows;
    }

    /** Makes an endpoint. */
    interface Factory {
        Endpoint create() throws Exception;
    }

    static List<Row> compare(String backend, Settings s, Factory rivuletSide, Factory rawSide) throws Exception {
        try (Endpoint rivuletEndpoint = rivuletSide.create(); Endpoint rawEndpoint = rawSide.create()) {
            Driver rivulet = new Driver(backend, rivuletEndpoint);
            Driver raw = new Driver(backend, rawEndpoint);
            long warmMillis = Math.min(1000, s.millis());
            for (Driver d : List.of(rivulet, raw)) {
                d.pingPong(Math.max(20, s.pings() / 5));
                d.openLoop(s.rate(), warmMillis);
            }
            List<long[]> rivuletPings = new ArrayList<>();
            List<long[]> rawPings = new ArrayList<>();
            List<long[]> rivuletOpen = new ArrayList<>();
            List<long[]> rawOpen = new ArrayList<>();
            for (int round = 0; round < s.rounds(); round++) {
                boolean rivuletFirst = round % 2 == 0;
                Driver first = rivuletFirst ? rivulet : raw;
                Driver second = rivuletFirst ? raw : rivulet;
                long[] a = first.pingPong(s.pings());
                long[] b = second.pingPong(s.pings());
                rivuletPings.add(rivuletFirst ? a : b);
                rawPings.add(rivuletFirst ? b : a);
                a = first.openLoop(s.rate(), s.millis());
                b = second.openLoop(s.rate(), s.millis());
                rivuletOpen.add(rivuletFirst ? a : b);
                rawOpen.add(rivuletFirst ? b : a);
            }
            String name = rawEndpoint.name();
            return List.of(
                    new Row(backend, "ping-pong", name, Percentiles.of(pool(rivuletPings)), Percentiles.of(pool(rawPings))),
                    new Row(backend, s.openLoop(), name, Percentiles.of(pool(rivuletOpen)), Percentiles.of(pool(rawOpen))));
        }
    }

    private static long[] pool(List<long[]> rounds) {
        long[] all = new long[rounds.stream().mapToInt(r -> r.length).sum()];
        int at = 0;
        for (long[] r : rounds) {
            System.arraycopy(r, 0, all, at, r.length);
            at += r.length;
        }
        return all;
    }
}
