package io.rivulet.samples.service.users;

import io.rivulet.core.Broker;
import io.rivulet.core.JsonCodec;
import io.rivulet.core.Message;
import io.rivulet.core.Queue;
import io.rivulet.samples.service.worker.HandlerCatalog;
import io.rivulet.samples.service.worker.TopicHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code user.registered} fan-out demo: one event, two independent subscriber groups.
 *
 * <p>Rivulet queues are competing consumers (each message goes to one consumer), and core has no
 * event bus yet, so the fan-out is done here: the {@code user.registered} handler republishes the
 * event to one queue per subscriber group, {@code user.registered.welcome-email} and
 * {@code user.registered.user-preferences}, each with its own worker, retries and dead letters.
 * The copies keep a derived message id and the subscribers consume with dedup by id, so a
 * redelivered {@code user.registered} (say, after the second republish failed) does not welcome a
 * user twice. Methods never block.
 */
public final class UserService implements HandlerCatalog {

    /** The event. */
    public static final String REGISTERED = "user.registered";
    /** The subscriber groups {@code user.registered} fans out to. */
    public static final List<String> SUBSCRIBERS = List.of("welcome-email", "user-preferences");

    private static final Duration DEDUP = Duration.ofHours(1);

    private final Queue<UserRegistered> registered;
    private final Map<String, Queue<UserRegistered>> subscriberQueues;
    private final Queue<Welcome> emails;
    private final ConcurrentHashMap<String, Map<String, Object>> preferences = new ConcurrentHashMap<>();

    /**
     * A user registered. Carries personal data: never logged.
     *
     * @param userId the new user's id
     * @param name the name
     * @param email the e-mail address
     */
    public record UserRegistered(String userId, String name, String email) {
    }

    /**
     * The welcome e-mail job for {@code email.send}.
     *
     * @param template always {@code "welcome"}
     * @param userId for whom
     */
    public record Welcome(String template, String userId) {
    }

    /** The fan-out over {@code broker}. */
    public UserService(Broker broker) {
        this.registered = broker.queue(REGISTERED, UserRegistered.class);
        this.subscriberQueues = new LinkedHashMap<>();
        SUBSCRIBERS.forEach(s -> subscriberQueues.put(s, broker.queue(REGISTERED + "." + s, UserRegistered.class)));
        this.emails = broker.queue("email.send", Welcome.class);
    }

    /** Publishes {@code user.registered} for a new user; emits the user id once the broker holds it. */
    public Mono<String> register(String name, String email) {
        return Mono.defer(() -> {
            String id = "u-" + UUID.randomUUID().toString().substring(0, 8);
            return registered.publish(Message.builder(new UserRegistered(id, name, email)).id(id).build())
                    .thenReturn(id);
        });
    }

    /** The preferences the {@code user-preferences} subscriber created, if it did. */
    public Optional<Map<String, Object>> preferences(String userId) {
        return Optional.ofNullable(preferences.get(userId));
    }

    @Override
    public List<TopicHandler<?>> handlers() {
        return List.of(
                TopicHandler.always(REGISTERED, JsonCodec.of(UserRegistered.class), this::fanOut),
                TopicHandler.always(REGISTERED + ".welcome-email", JsonCodec.of(UserRegistered.class), this::welcome)
                        .dedup(DEDUP),
                TopicHandler.always(REGISTERED + ".user-preferences", JsonCodec.of(UserRegistered.class),
                        this::createPreferences).dedup(DEDUP));
    }

    private Mono<String> fanOut(Message<UserRegistered> message) {
        return Flux.fromIterable(subscriberQueues.entrySet())
                .concatMap(e -> e.getValue().publish(Message.builder(message.payload())
                        .id(message.id() + "." + e.getKey()).key(message.id()).build()))
                .then(Mono.just("fanned out to " + String.join(" and ", SUBSCRIBERS)));
    }

    private Mono<String> welcome(Message<UserRegistered> message) {
        String userId = message.payload().userId();
        return emails.publish(Message.builder(new Welcome("welcome", userId)).id("welcome-" + userId).build())
                .thenReturn("queued the welcome e-mail of user " + userId);
    }

    private Mono<String> createPreferences(Message<UserRegistered> message) {
        String userId = message.payload().userId();
        preferences.putIfAbsent(userId, Map.of("newsletter", false, "language", "en", "notifications", "email"));
        return Mono.just("created default preferences of user " + userId);
    }
}
