package io.rivulet.kafka.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real single-node Kafka broker (KRaft combined mode, broker and controller) in a separate JVM,
 * started from the jars Maven resolved for {@code kafka/test-broker}: no Docker, no install.
 *
 * <p>It listens on free loopback ports: {@link #bootstrapServers()} (PLAINTEXT) and
 * {@link #saslBootstrapServers()} (SASL_PLAINTEXT, mechanism PLAIN, user {@value #SASL_USER} with
 * password {@value #SASL_PASSWORD}). Its data lives in a fresh directory under
 * {@code target/}. {@link #close()} stops it; if the launching JVM dies instead, the broker halts
 * when its stdin closes. Topics are never auto-created by the broker itself.
 *
 * <p>Needs the system property {@value #CLASSPATH_PROPERTY} naming the classpath file written by
 * the {@code rivulet-kafka-test-broker} module (surefire sets it). Thread-safe.
 */
public final class KafkaTestBroker implements AutoCloseable {

    /** System property: path of the file holding the broker's classpath. */
    public static final String CLASSPATH_PROPERTY = "rivulet.kafka.broker.classpath";
    /** System property: directory under which broker data directories are made. */
    public static final String DIR_PROPERTY = "rivulet.kafka.broker.dir";
    /** The SASL/PLAIN user the broker knows. */
    public static final String SASL_USER = "rivulet";
    /** That user's password. */
    public static final String SASL_PASSWORD = "rivulet-secret";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final Path log;
    private final String bootstrap;
    private final String saslBootstrap;

    private KafkaTestBroker(Process process, Path dir, Path log, String bootstrap, String saslBootstrap) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.bootstrap = bootstrap;
        this.saslBootstrap = saslBootstrap;
    }

    /** Starts a broker and returns once it answers {@code describeCluster}; fails after 60 s with the log tail. */
    public static KafkaTestBroker start() {
        String cpFile = System.getProperty(CLASSPATH_PROPERTY);
        if (cpFile == null || !Files.isRegularFile(Paths.get(cpFile))) {
            throw new IllegalStateException("No Kafka broker classpath: system property " + CLASSPATH_PROPERTY
                    + " is " + cpFile + ". Build the broker helper first: ./mvnw -pl kafka -am verify "
                    + "(it writes kafka/test-broker/target/broker-classpath.txt)");
        }
        try {
            String brokerCp = Files.readString(Paths.get(cpFile)).trim();
            Path base = Paths.get(System.getProperty(DIR_PROPERTY, "target/kafka-broker"));
            Files.createDirectories(base);
            Path dir = Files.createTempDirectory(base.toAbsolutePath(), "node-");
            int plain = freePort();
            int sasl = freePort();
            int controller = freePort();
            Path props = dir.resolve("server.properties");
            Files.writeString(props, properties(dir.resolve("data"), plain, sasl, controller));
            String ownCp = new File(BrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getPath();
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            Path log = dir.resolve("broker.log");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    // The broker's jars first: ownCp may be a shaded jar holding other Kafka client classes.
                    "-cp", brokerCp + File.pathSeparator + ownCp,
                    BrokerMain.class.getName(), props.toString(), clusterId())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Process process = pb.start();
            KafkaTestBroker broker = new KafkaTestBroker(process, dir, log, "127.0.0.1:" + plain,
                    "127.0.0.1:" + sasl);
            try {
                broker.awaitReady();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a Kafka broker: " + e.getMessage(), e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String properties(Path data, int plain, int sasl, int controller) {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + SASL_USER
                + "=\"" + SASL_PASSWORD + "\";";
        return String.join("\n", List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + plain + ",SASL_PLAINTEXT://127.0.0.1:" + sasl
                        + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + plain + ",SASL_PLAINTEXT://127.0.0.1:" + sasl,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,"
                        + "CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms=PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config=" + jaas,
                "log.dirs=" + data.toAbsolutePath(),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "controller.quorum.append.linger.ms=1",
                "group.consumer.min.session.timeout.ms=1000",
                "group.min.session.timeout.ms=1000",
                "log.flush.interval.messages=100000",
                "log.segment.bytes=16777216",
                "")).replace("\\", "/");
    }

    private static String clusterId() {
        while (true) {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            // The storage tool's argument parser would take a leading '-' for an option.
            if (Character.isLetterOrDigit(id.charAt(0))) {
                return id;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Kafka broker JVM exited with " + process.exitValue()
                            + " before it was ready. Log tail:\n" + logTail());
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("The Kafka broker at " + bootstrap + " was not ready within "
                                + READY_TIMEOUT.toSeconds() + " s. Log tail:\n" + logTail());
                    }
                }
            }
        }
    }

    /** The last lines of the broker's log, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** {@code host:port} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** {@code host:port} of the SASL_PLAINTEXT (PLAIN) listener. */
    public String saslBootstrapServers() {
        return saslBootstrap;
    }

    /** The broker JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** Stops the broker (closing its stdin halts it) and waits for its JVM to end. Idempotent. */
    @Override
    public void close() {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
        } catch (IOException ignored) {
            // The pipe is already gone: the broker is halting anyway.
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Kafka broker at " + bootstrap + " (pid " + process.pid() + ", data in " + dir + ")";
    }
}
