package io.rivulet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisOptionsTest {

    @Test
    void defaultsPointAtLocalRedis() {
        RedisOptions o = RedisOptions.defaults();
        assertThat(o.address()).isEqualTo("127.0.0.1:6379");
        assertThat(o.keyPrefix()).isEqualTo(RedisOptions.DEFAULT_KEY_PREFIX);
        assertThat(o.visibilityTimeout()).isEqualTo(RedisOptions.DEFAULT_VISIBILITY_TIMEOUT);
        assertThat(o.tls()).isFalse();
        assertThat(o.mutate().build().toString()).isEqualTo(o.toString());
    }

    @Test
    void uriGivesAddressAndTls() {
        RedisOptions o = RedisOptions.builder().uri("rediss://app:secret@cache.internal:6380/2").build();
        assertThat(o.address()).isEqualTo("cache.internal:6380");
        assertThat(o.tls()).isTrue();
        assertThat(RedisOptions.builder().uri("rediss://cache").tls(false).build().tls()).isFalse();
    }

    @Test
    void passwordNeverShows() {
        RedisOptions o = RedisOptions.builder().username("app").password("s3cret-value").build();
        assertThat(o.toString()).doesNotContain("s3cret-value").contains("***");
    }

    @Test
    void badSettingsAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> RedisOptions.builder().port(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.port");
        assertThatThrownBy(() -> RedisOptions.builder().keyPrefix("app{x}:").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.keyPrefix");
        assertThatThrownBy(() -> RedisOptions.builder().fetchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.fetchSize");
        assertThatThrownBy(() -> RedisOptions.builder().streamMaxLength(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.streamMaxLength");
        assertThatThrownBy(() -> RedisOptions.builder().database(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.database");
        assertThatThrownBy(() -> RedisOptions.builder().visibilityTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.visibilityTimeout");
        assertThatThrownBy(() -> RedisOptions.builder().commandTimeout(Duration.ofMillis(-5)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.commandTimeout");
        assertThatThrownBy(() -> RedisOptions.builder().username("app").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.password");
        assertThatThrownBy(() -> RedisOptions.builder().clientName("has space").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.clientName");
    }

    @Test
    void badUriIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> RedisOptions.builder().uri("http://user:pw@host:1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.uri")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> RedisOptions.builder().uri("redis://user:p w@host:1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.uri")
                .hasMessageNotContaining("p w");
    }

    @Test
    void clusterSeedsStartWithTheHostAndAreChecked() {
        RedisOptions o = RedisOptions.builder().host("a.internal").port(7000).cluster(true)
                .clusterSeeds("b.internal:7001", "a.internal:7000", "[::1]:7002").build();
        assertThat(o.cluster()).isTrue();
        assertThat(o.clusterSeeds()).containsExactly("a.internal:7000", "b.internal:7001", "[::1]:7002");
        assertThat(o.address()).isEqualTo("a.internal:7000,b.internal:7001,[::1]:7002");
        assertThat(o.mutate().build().clusterSeeds()).isEqualTo(o.clusterSeeds());
        assertThat(RedisOptions.defaults().clusterSeeds()).isEmpty();

        assertThatThrownBy(() -> RedisOptions.builder().clusterSeeds("b:7001").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.cluster");
        assertThatThrownBy(() -> RedisOptions.builder().cluster(true).clusterSeeds("no-port").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.clusterSeeds");
        assertThatThrownBy(() -> RedisOptions.builder().cluster(true).clusterSeeds("app:pw-123@b:7001").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.clusterSeeds")
                .hasMessageNotContaining("pw-123");
        assertThatThrownBy(() -> RedisOptions.builder().uri("redis://a:7000/3").cluster(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database 0");
        assertThatThrownBy(() -> RedisOptions.builder().cluster(true).clusterRefreshPeriod(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.clusterRefreshPeriod");
    }

    @Test
    void tlsKeyPasswordNeedsACertificateAndNeverShows() {
        assertThatThrownBy(() -> RedisOptions.builder().tls(true).tlsClientKeyPassword("k3y-secret").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RedisOptions.tlsClientCertificate")
                .hasMessageNotContaining("k3y-secret");
        assertThat(RedisOptions.builder().tls(true).build().toString()).contains("tls=true");
    }
}
