package io.rivulet.kafka.testing;

import java.io.IOException;
import java.io.PrintStream;

/**
 * The entry point of the broker JVM that {@link KafkaTestBroker} starts: formats the KRaft storage
 * and runs {@code kafka.Kafka}. It only uses the JDK and, by reflection, the broker's own jars, so
 * the test classpath never needs the broker and the broker JVM never needs Rivulet.
 *
 * <p>A daemon thread halts the JVM as soon as its stdin closes: the launching JVM holds the other
 * end of that pipe, so the broker dies with it, even after a {@code kill -9} of the tests.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    /** Arguments: the server properties file and the cluster id. */
    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // Nothing is ever written: only the end of the stream matters.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same as end of stream.
            }
            Runtime.getRuntime().halt(0);
        }, "rivulet-stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        PrintStream out = System.out;
        int rc = (int) Class.forName("kafka.tools.StorageTool")
                .getMethod("execute", String[].class, PrintStream.class)
                .invoke(null, new String[] {"format", "-t", args[1], "-c", args[0], "--ignore-formatted"}, out);
        if (rc != 0) {
            System.err.println("Formatting the KRaft storage failed with exit code " + rc);
            Runtime.getRuntime().halt(rc);
        }
        Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) new String[] {args[0]});
    }
}
