package io.rivulet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivulet.core.Broker;
import io.rivulet.core.Queue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * TLS on private redis-servers that speak only TLS, with certificates of a private CA generated
 * under {@code target/}: one server that trusts any client, one that demands a client certificate.
 */
class RedisTlsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static TestCertificates certs;
    private static PrivateRedis open;
    private static PrivateRedis mutual;
    private final List<Broker> brokers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        certs = TestCertificates.generate();
        try {
            open = PrivateRedis.tls(certs, false);
            mutual = PrivateRedis.tls(certs, true);
        } catch (Exception e) {
            stopServers();
            throw e;
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (open != null) {
            open.close();
        }
        if (mutual != null) {
            mutual.close();
        }
    }

    @AfterEach
    void closeBrokers() {
        brokers.forEach(b -> b.close().block(PATIENCE));
    }

    private Queue<String> queue(RedisOptions options, String topic) {
        Broker b = RedisBroker.create(options);
        brokers.add(b);
        return b.queue(topic, String.class);
    }

    private static RedisOptions.Builder tls(PrivateRedis server) {
        return RedisOptions.builder().host("127.0.0.1").port(server.port).tls(true)
                .connectTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100)).keyPrefix("tls-test:");
    }

    /** Publishes, consumes, acks and nacks one message and dead-letters another over {@code options}. */
    private void roundTrip(RedisOptions options, String topic) {
        Queue<String> q = queue(options, topic);
        q.publish("first").block(PATIENCE);
        q.publish("second").block(PATIENCE);
        StepVerifier.create(q.consume().take(3).concatMap(d -> switch (d.message().payload()) {
                    case "first" -> d.message().attempt() == 1 ? d.nack().thenReturn("nacked first")
                            : d.ack().thenReturn("acked first");
                    default -> d.deadLetter("no use").thenReturn("dead " + d.message().payload());
                }))
                .expectNext("nacked first", "dead second", "acked first")
                .verifyComplete();
        assertThat(q.stats().block(PATIENCE)).satisfies(s -> {
            assertThat(s.completed()).isEqualTo(1);
            assertThat(s.dead()).isEqualTo(1);
            assertThat(s.ready()).isZero();
        });
        assertThat(q.deadLetters().list(10).map(dl -> dl.reason()).collectList().block(PATIENCE))
                .containsExactly("no use");
    }

    @Test
    void privateCaTrustedThroughAPemFileCarriesMessages() {
        roundTrip(tls(open).tlsTrustedCertificates(certs.caCertificate).build(), "tls.trusted");
    }

    @Test
    void redissUriWithLocalhostMatchesTheCertificatesHostName() {
        roundTrip(RedisOptions.builder().uri("rediss://localhost:" + open.port)
                .tlsTrustedCertificates(certs.caCertificate).keyPrefix("tls-test:").build(), "tls.localhost");
    }

    @Test
    void mutualTlsWorksWhenTheServerDemandsAClientCertificate() {
        roundTrip(tls(mutual).tlsTrustedCertificates(certs.caCertificate)
                .tlsClientCertificate(certs.clientCertificate, certs.clientKey).build(), "tls.mutual");
    }

    @Test
    void missingClientCertificateIsRefusedNamingTheOption() {
        Queue<String> q = queue(tls(mutual).tlsTrustedCertificates(certs.caCertificate).build(), "tls.no-client");
        StepVerifier.create(q.publish("x"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("127.0.0.1:" + mutual.port)
                        .hasMessageContaining("RedisOptions.tlsClientCertificate"))
                .verify(PATIENCE);
    }

    @Test
    void untrustedServerCertificateFailsNamingHostAndTrustOption() {
        Queue<String> defaults = queue(tls(open).build(), "tls.untrusted");
        StepVerifier.create(defaults.publish("x"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("127.0.0.1:" + open.port)
                        .hasMessageContaining("RedisOptions.tlsTrustedCertificates"))
                .verify(PATIENCE);
        Queue<String> otherCa = queue(tls(open).tlsTrustedCertificates(certs.otherCaCertificate).build(),
                "tls.untrusted");
        StepVerifier.create(otherCa.consume())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("127.0.0.1:" + open.port)
                        .hasMessageContaining("not trusted")
                        .hasMessageContaining(certs.otherCaCertificate.toString()))
                .verify(PATIENCE);
    }

    @Test
    void verifyPeerOffAcceptsAnUntrustedCertificate() {
        roundTrip(tls(open).tlsVerifyPeer(false).build(), "tls.no-verify");
    }

    @Test
    void missingOrWrongPemFilesAreConfigErrorsNamingOptionAndFile() throws Exception {
        Path missing = certs.dir.resolve("no-such-ca.pem");
        assertThatThrownBy(() -> tls(open).tlsTrustedCertificates(missing).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RedisOptions.tlsTrustedCertificates").hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> tls(open).tlsTrustedCertificates(certs.caCertificate)
                .tlsClientCertificate(certs.clientCertificate, missing).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RedisOptions.tlsClientCertificate").hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> tls(open).tlsTrustedCertificates(certs.clientKey).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RedisOptions.tlsTrustedCertificates").hasMessageContaining("not a PEM");
        assertThatThrownBy(() -> tls(open).tlsClientCertificate(certs.clientCertificate, certs.clientCertificate)
                .build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PEM private key");
        Path pkcs1 = certs.dir.resolve("client-pkcs1.key");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> tls(open).tlsClientCertificate(certs.clientCertificate, pkcs1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS#8");
        Path unreadable = Files.createDirectories(certs.dir.resolve("a-directory.pem"));
        assertThatThrownBy(() -> tls(open).tlsTrustedCertificates(unreadable).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RedisOptions.tlsTrustedCertificates").hasMessageContaining("cannot read");
        assertThatThrownBy(() -> RedisOptions.builder().tlsTrustedCertificates(certs.caCertificate).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLS is off");
    }
}
