package io.rivulet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivulet.core.Broker;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Bad configuration gets an error naming the Redis address and the option to check. */
class RedisErrorsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static TestRedis redis;
    private final String user = "rivulet-test-" + UUID.randomUUID().toString().substring(0, 8);
    private Broker broker;

    @BeforeAll
    static void connect() {
        redis = new TestRedis();
    }

    @AfterAll
    static void cleanUp() {
        redis.close();
    }

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close().block(PATIENCE);
        }
        redis.sync().aclDeluser(user);
    }

    private Queue<String> queue(RedisOptions options) {
        broker = RedisBroker.create(options);
        return broker.queue("errors.test", String.class);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void unreachableRedisFailsThePublishNamingTheAddressAndTheOption() throws IOException {
        int port = freePort();
        Queue<String> q = queue(redis.options().port(port).connectTimeout(Duration.ofSeconds(2)).build());

        StepVerifier.create(q.publish("hello"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("127.0.0.1:" + port)
                        .hasMessageContaining("RedisOptions.uri or RedisOptions.host/port"))
                .verify(PATIENCE);
    }

    @Test
    void unreachableRedisFailsTheConsumerClearly() throws IOException {
        int port = freePort();
        Queue<String> q = queue(redis.options().port(port).connectTimeout(Duration.ofSeconds(2)).build());

        StepVerifier.create(q.consume())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("consume from 'errors.test'"))
                .verify(PATIENCE);
    }

    @Test
    void wrongPasswordIsRefusedNamingTheUserAndTheOption() {
        redis.sync().aclSetuser(user, io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("right-password")
                .keyPattern(redis.prefix + "*").allCommands());
        Queue<String> q = queue(redis.options().username(user).password("wrong-password").build());

        StepVerifier.create(q.publish("hello"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("127.0.0.1:6379")
                        .hasMessageContaining("refused AUTH for user '" + user + "'")
                        .hasMessageContaining("RedisOptions.password")
                        .hasMessageNotContaining("wrong-password"))
                .verify(PATIENCE);
    }

    @Test
    void aclUserWithTheRightPasswordPublishesAndConsumes() {
        redis.sync().aclSetuser(user, io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("right-password")
                .keyPattern(redis.prefix + "*").allCommands());
        Queue<String> q = queue(redis.options().username(user).password("right-password").build());

        q.publish("hello").block(PATIENCE);
        StepVerifier.create(q.consume().concatMap(d -> d.ack().thenReturn(d.message().payload())).take(1))
                .expectNext("hello")
                .expectComplete()
                .verify(PATIENCE);
    }

    @Test
    void userWithoutPermissionOnTheKeysIsToldWhatToGrant() {
        redis.sync().aclSetuser(user, io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("right-password")
                .keyPattern("someone-else:*").allCommands());
        Queue<String> q = queue(redis.options().username(user).password("right-password").build());

        StepVerifier.create(q.publish("hello"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("denied a command to user '" + user + "'")
                        .hasMessageContaining(redis.prefix + "*"))
                .verify(PATIENCE);
    }

    @Test
    void keyOfTheWrongTypeFailsPublishAndConsumeNamingThePrefixOption() {
        String topic = "errors.wrongtype";
        redis.sync().set(redis.prefix + "{" + topic + "}:stream:0", "not a stream");
        broker = RedisBroker.create(redis.options().build());
        Queue<String> q = broker.queue(topic, String.class);

        StepVerifier.create(q.publish("hello"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("127.0.0.1:6379")
                        .hasMessageContaining(redis.prefix + "{" + topic + "}:*")
                        .hasMessageContaining("RedisOptions.keyPrefix"))
                .verify(PATIENCE);
        // The topic is registered now: publishes go through the batched publish script, whose
        // per-message failure names the same key and option, while another priority's stream works.
        StepVerifier.create(q.publishAll(Flux.just(Message.builder("level 1").priority(1).build(),
                        Message.of("level 0"))))
                .expectNextCount(1)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining(redis.prefix + "{" + topic + "}:*")
                        .hasMessageContaining("RedisOptions.keyPrefix"))
                .verify(PATIENCE);
        assertThat(redis.sync().xlen(redis.prefix + "{" + topic + "}:stream:1")).isEqualTo(1);
        StepVerifier.create(q.consume())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("another type").hasMessageContaining("RedisOptions.keyPrefix"))
                .verify(PATIENCE);
    }

    @Test
    void tlsAgainstAPlainPortFailsNamingTheTlsOption() {
        Queue<String> q = queue(redis.options().tls(true).connectTimeout(Duration.ofSeconds(2))
                .commandTimeout(Duration.ofSeconds(3)).build());

        StepVerifier.create(q.publish("hello"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisBackendException.class)
                        .hasMessageContaining("127.0.0.1:6379")
                        .hasMessageContaining("RedisOptions.tls"))
                .verify(PATIENCE);
    }

    @Test
    void streamMaxLengthCapsTheStreamApproximately() {
        broker = RedisBroker.create(redis.options().streamMaxLength(100).build());
        Queue<String> q = broker.queue("errors.maxlen", String.class);
        q.publishAll(reactor.core.publisher.Flux.range(0, 2000).map(i -> io.rivulet.core.Message.of("m" + i)))
                .then().block(PATIENCE);

        long len = redis.sync().xlen(redis.prefix + "{errors.maxlen}:stream:0");
        assertThat(len).as("XADD MAXLEN ~ 100 trims whole nodes").isBetween(100L, 1000L);
    }

    @Test
    void uriAndDatabaseOptionsPickTheDatabase() {
        broker = RedisBroker.create(redis.options().uri("redis://127.0.0.1:6379/0").database(3).build());
        broker.queue("errors.database", String.class).publish("hello").block(PATIENCE);

        io.lettuce.core.api.sync.RedisCommands<String, String> sync = redis.sync();
        assertThat(sync.exists(redis.prefix + "{errors.database}:stream:0")).isZero();
        sync.select(3);
        try {
            assertThat(sync.exists(redis.prefix + "{errors.database}:stream:0")).isOne();
            sync.del(redis.prefix + "{errors.database}:stream:0", redis.prefix + "topics");
        } finally {
            sync.select(0);
        }
    }
}
