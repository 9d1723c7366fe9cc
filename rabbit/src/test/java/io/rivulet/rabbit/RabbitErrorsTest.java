package io.rivulet.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad configuration gets a clear error naming the host and the option to check. */
class RabbitErrorsTest {

    @Test
    void wrongPasswordIsReportedWithTheUserAndTheOptions() {
        RabbitOptions options = RabbitTestSupport.options().password("not-the-password-42").build();

        assertThatThrownBy(() -> RabbitBroker.create(options))
                .isInstanceOf(RabbitConnectException.class)
                .hasMessageContaining("127.0.0.1:5672")
                .hasMessageContaining("user 'guest'")
                .hasMessageContaining("RabbitOptions.password")
                .message().doesNotContain("not-the-password-42");
    }

    @Test
    void missingVirtualHostIsReportedByName() {
        RabbitOptions options = RabbitTestSupport.options().virtualHost("rivulet-no-such-vhost").build();

        assertThatThrownBy(() -> RabbitBroker.create(options))
                .isInstanceOf(RabbitConnectException.class)
                .hasMessageContaining("virtual host 'rivulet-no-such-vhost'")
                .hasMessageContaining("RabbitOptions.virtualHost");
    }

    @Test
    void unreachableBrokerIsReportedWithHostAndPort() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        RabbitOptions options = RabbitTestSupport.options().port(freePort).build();

        assertThatThrownBy(() -> RabbitBroker.create(options))
                .isInstanceOf(RabbitConnectException.class)
                .hasMessageContaining("127.0.0.1:" + freePort)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("RabbitOptions.port");
    }

    @Test
    void unknownHostIsReportedByName() {
        RabbitOptions options = RabbitTestSupport.options().host("no-such-host.invalid").build();

        assertThatThrownBy(() -> RabbitBroker.create(options))
                .isInstanceOf(RabbitConnectException.class)
                .hasMessageContaining("no-such-host.invalid")
                .hasMessageContaining("RabbitOptions.host");
    }

    @Test
    void tlsAgainstAPlainPortFailsClearly() {
        RabbitOptions options = RabbitTestSupport.options().tls(true).port(5672)
                .connectTimeout(Duration.ofSeconds(3)).build();

        assertThatThrownBy(() -> RabbitBroker.create(options))
                .isInstanceOf(RabbitConnectException.class)
                .hasMessageContaining("amqps://127.0.0.1:5672");
    }

    @Test
    void uriSetsEveryConnectionSetting() {
        RabbitOptions o = RabbitOptions.builder().uri("amqps://app:s%3Acret@mq.example.com:5999/orders%2Feu").build();

        assertThat(o.host()).isEqualTo("mq.example.com");
        assertThat(o.port()).isEqualTo(5999);
        assertThat(o.username()).isEqualTo("app");
        assertThat(o.password()).isEqualTo("s:cret");
        assertThat(o.virtualHost()).isEqualTo("orders/eu");
        assertThat(o.tls()).isTrue();
        assertThat(o.toString()).doesNotContain("s:cret");
        assertThat(RabbitOptions.builder().uri("amqps://h").build().port()).isEqualTo(RabbitOptions.DEFAULT_TLS_PORT);
    }

    @Test
    void invalidOptionsNameTheParameter() {
        assertThatThrownBy(() -> RabbitOptions.builder().uri("http://x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RabbitOptions.uri");
        assertThatThrownBy(() -> RabbitOptions.builder().prefetch(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RabbitOptions.prefetch");
        assertThatThrownBy(() -> RabbitOptions.builder().port(70_000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RabbitOptions.port");
        assertThatThrownBy(() -> RabbitOptions.builder().delayTiers(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RabbitOptions.delayTiers");
        assertThatThrownBy(() -> RabbitOptions.builder().delayTiers(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicates");
        assertThatThrownBy(() -> RabbitOptions.builder().confirmTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RabbitOptions.confirmTimeout");
        assertThatThrownBy(() -> RabbitOptions.builder().deliveryLimit(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUORUM");
        assertThatThrownBy(() -> RabbitOptions.builder().host(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RabbitOptions.host");
    }
}
