package io.rivulet.benchmarks.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Rivulet on RabbitMQ against raw amqp-client, side by side on the same broker in one run, with
 * the same settings: durable queue, persistent 100-byte messages, publisher confirms with 256 in
 * flight, prefetch 256, one manual ack per message; publishing and consuming at once. Reports
 * end-to-end messages per second (first publish to last ack) per round, the median per peer and
 * the ratio. Needs RabbitMQ on 127.0.0.1:5672 (guest/guest).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rivulet.benchmarks.rabbit.RabbitPeerBenchmark [messages] [rounds]
 * </pre>
 */
public final class RabbitPeerBenchmark {

    /** One contender. */
    interface Peer {
        String name();

        /** Publishes and consumes {@code messages} on {@code queue}; returns messages per second. */
        double run(String queue, int messages, byte[] payload, int window, int prefetch) throws Exception;
    }

    static final int WINDOW = 256;
    static final int PREFETCH = 256;

    private RabbitPeerBenchmark() {
    }

    /** Runs the comparison; args: messages per round (default 100000), rounds (default 3). */
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Result r = compare(messages, rounds, true);
        System.out.println(r.report());
    }

    /** The medians of each peer and their ratio. */
    record Result(int messages, int rounds, List<Double> raw, List<Double> rivulet) {
        double rawMedian() {
            return median(raw);
        }

        double rivuletMedian() {
            return median(rivulet);
        }

        double ratio() {
            return rivuletMedian() / rawMedian();
        }

        String report() {
            return String.format(Locale.ROOT, "%d messages x %d rounds (100 B, persistent, confirms, window %d, prefetch %d)%n"
                            + "raw amqp-client  rounds %s  median %.0f msg/s%n"
                            + "Rivulet rabbit   rounds %s  median %.0f msg/s%n"
                            + "ratio Rivulet/raw = %.1f %%",
                    messages, rounds, WINDOW, PREFETCH, fmt(raw), rawMedian(), fmt(rivulet), rivuletMedian(),
                    100 * ratio());
        }
    }

    static Result compare(int messages, int rounds, boolean warmUp) throws Exception {
        byte[] payload = new byte[100];
        Peer raw = new RawAmqpPeer();
        Peer rivulet = new RivuletRabbitPeer();
        if (warmUp) {
            raw.run(queueName(), Math.max(1_000, messages / 10), payload, WINDOW, PREFETCH);
            rivulet.run(queueName(), Math.max(1_000, messages / 10), payload, WINDOW, PREFETCH);
        }
        List<Double> rawRates = new ArrayList<>();
        List<Double> rivuletRates = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            // Alternate the order so neither peer always runs on a warmer broker.
            if (i % 2 == 0) {
                rawRates.add(raw.run(queueName(), messages, payload, WINDOW, PREFETCH));
                rivuletRates.add(rivulet.run(queueName(), messages, payload, WINDOW, PREFETCH));
            } else {
                rivuletRates.add(rivulet.run(queueName(), messages, payload, WINDOW, PREFETCH));
                rawRates.add(raw.run(queueName(), messages, payload, WINDOW, PREFETCH));
            }
        }
        return new Result(messages, rounds, rawRates, rivuletRates);
    }

    private static String queueName() {
        return "bench.rabbit." + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Deletes the queues a Rivulet topic made (work, dlq, default delay tiers). */
    static void deleteQueues(String topic) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        try (Connection c = f.newConnection("bench-cleanup")) {
            Channel ch = c.createChannel();
            ch.queueDelete(topic);
            ch.queueDelete(topic + ".dlq");
            for (long ms : new long[] {1_000, 5_000, 30_000, 120_000, 600_000, 3_600_000}) {
                ch.queueDelete(topic + ".delay." + ms + "ms");
            }
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String fmt(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }
}
