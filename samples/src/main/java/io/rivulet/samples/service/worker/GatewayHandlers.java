package io.rivulet.samples.service.worker;

import io.rivulet.core.JsonCodec;
import io.rivulet.core.Message;
import io.rivulet.core.PermanentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The gateway worker's demo handlers, one per topic ({@code email.send}, {@code sms.send}, ...):
 * each logs what it did and reports it to {@code /events}. Payloads are any JSON object; three
 * optional fields make a handler behave like real work, so retries and dead letters can be shown:
 * <ul>
 *   <li>{@code workMillis} — how long the work takes (at most 60 s), without blocking a thread;</li>
 *   <li>{@code failTimes} — fail the first {@code n} attempts with a temporary error, then succeed;</li>
 *   <li>{@code fail} — {@code "always"} fails every attempt with a temporary error (retried, then
 *       dead-lettered), {@code "permanent"} fails with a permanent one (dead-lettered at once).</li>
 * </ul>
 * Consumed when listed in {@code rivulet.worker.topics}.
 */
@Component
public final class GatewayHandlers implements HandlerCatalog {

    /** The gateway worker's topics and what their handler does. */
    public static final Map<String, String> TOPICS = topics();

    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandlers.class);
    private static final long MAX_WORK_MILLIS = 60_000;

    private static Map<String, String> topics() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("order.reminder", "sent an order reminder");
        m.put("user.notification", "delivered a user notification");
        m.put("system.cleanup", "cleaned up expired data");
        m.put("payment.retry", "retried a payment");
        m.put("inventory.alert", "raised an inventory alert");
        m.put("email.send", "sent an e-mail");
        m.put("sms.send", "sent an SMS");
        m.put("push.notification", "sent a push notification");
        m.put("file.process", "processed a file");
        m.put("data.sync", "synchronised data");
        return Collections.unmodifiableMap(m);
    }

    @Override
    public List<TopicHandler<?>> handlers() {
        List<TopicHandler<?>> handlers = new ArrayList<>();
        TOPICS.forEach((topic, did) -> handlers.add(
                TopicHandler.configurable(topic, JsonCodec.of(JsonNode.class), m -> work(m, did))));
        return handlers;
    }

    /** Simulates the work a message asks for, then reports {@code did}. */
    static Mono<String> work(Message<JsonNode> message, String did) {
        JsonNode job = message.payload();
        String fail = job.path("fail").asString("");
        if (fail.equals("permanent")) {
            return Mono.error(new PermanentException("simulated permanent failure (\"fail\": \"permanent\")"));
        }
        if (fail.equals("always") || message.attempt() <= job.path("failTimes").asInt(0)) {
            return Mono.error(new IllegalStateException("simulated temporary failure on attempt " + message.attempt()));
        }
        long workMillis = Math.min(Math.max(0, job.path("workMillis").asLong(0)), MAX_WORK_MILLIS);
        Mono<Long> work = workMillis == 0 ? Mono.just(0L) : Mono.delay(Duration.ofMillis(workMillis));
        return work.then(Mono.fromSupplier(() -> {
            LOG.info("[{}] {} (message {}, attempt {})", message.topic(), did, message.id(), message.attempt());
            return did;
        }));
    }
}
