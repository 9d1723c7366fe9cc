package io.rivulet.redis;

import io.rivulet.core.kit.AdminLifecycleContract;
import io.rivulet.core.kit.DeadLetterContract;
import io.rivulet.core.kit.DelayContract;
import io.rivulet.core.kit.PriorityDedupContract;
import io.rivulet.core.kit.PublishConsumeContract;
import io.rivulet.core.kit.SettlementContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contracts of the conformance kit that exercise every Redis command path (publish, fetch,
 * settlements, delays, dead letters, admin and lifecycle), unchanged, over mutual TLS: a private
 * redis-server that speaks only TLS and demands client certificates, trusted through
 * {@code RedisOptions.tlsTrustedCertificates} (a private CA generated under {@code target/}), the
 * client presenting its certificate. The operator contracts (handle, retry, batch, worker) add
 * nothing TLS-specific and take as long again: the plain and cluster runs cover them.
 */
class RedisTlsKitTest extends RedisKitRun implements PublishConsumeContract, SettlementContract, DelayContract,
        DeadLetterContract, AdminLifecycleContract, PriorityDedupContract {

    private static TestCertificates certs;
    private static PrivateRedis server;

    @BeforeAll
    static void startServer() throws Exception {
        certs = TestCertificates.generate();
        server = PrivateRedis.tls(certs, true);
        warmUp(options(certs, server).build());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static RedisOptions.Builder options(TestCertificates certs, PrivateRedis server) {
        return RedisOptions.builder().uri("rediss://127.0.0.1:" + server.port)
                .tlsTrustedCertificates(certs.caCertificate)
                .tlsClientCertificate(certs.clientCertificate, certs.clientKey)
                .keyPrefix("kit-tls:").pollInterval(Duration.ofMillis(250)).clientName("rivulet-test");
    }

    @Override
    RedisOptions.Builder options() {
        return options(certs, server);
    }
}
