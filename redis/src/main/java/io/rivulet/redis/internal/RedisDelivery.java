package io.rivulet.redis.internal;

import io.rivulet.core.DeadLetter;
import io.rivulet.core.Message;
import io.rivulet.core.spi.BackendDelivery;
import io.rivulet.core.spi.DeadLetterRecord;
import io.rivulet.core.spi.ReservedHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * One delivery of a stream entry. Its delivery count (1 when read, more when claimed) fences its
 * settlements: a script settles the entry only if the group's count is still this one, so a
 * delivery whose entry was claimed by another consumer after the visibility timeout has no effect.
 */
final class RedisDelivery implements BackendDelivery {

    private final RedisConsumer consumer;
    private final Message<byte[]> message;
    private final int level;
    private final byte[] entryId; // as Redis returned it: sent back as is with each settlement
    private final long deliveryCount;

    RedisDelivery(RedisConsumer consumer, Message<byte[]> message, int level, byte[] entryId, long deliveryCount) {
        this.consumer = consumer;
        this.message = message;
        this.level = level;
        this.entryId = entryId;
        this.deliveryCount = deliveryCount;
    }

    @Override
    public Message<byte[]> message() {
        return message;
    }

    @Override
    public Mono<Void> ack() {
        return consumer.ack(this);
    }

    int level() {
        return level;
    }

    byte[] entryId() {
        return entryId;
    }

    long deliveryCount() {
        return deliveryCount;
    }

    @Override
    public Mono<Void> nack(Duration delay, int nextAttempt) {
        return settle("nack", List.of(EntryCodec.num(delay.toMillis()), EntryCodec.num(nextAttempt),
                EntryCodec.num(consumer.backend().options().streamMaxLength())));
    }

    @Override
    public Mono<Void> deadLetter(DeadLetterRecord record) {
        return Mono.defer(() -> {
            DeadLetter dl = ReservedHeaders.deadLetter(message, record,
                    Instant.ofEpochMilli(consumer.backend().now()));
            return settle("dead", EntryCodec.deadFields(dl));
        });
    }

    @Override
    public Mono<Void> release() {
        return settle("release", List.of(EntryCodec.num(message.attempt()),
                EntryCodec.num(consumer.backend().options().streamMaxLength())));
    }

    @Override
    public Mono<Void> drop() {
        return settle("drop", List.of());
    }

    private Mono<Void> settle(String action, List<byte[]> extra) {
        List<byte[]> args = new ArrayList<>(extra.size() + 2);
        args.add(EntryCodec.utf8(action));
        args.add(EntryCodec.num(consumer.backend().now()));
        args.addAll(extra);
        return run(Scripts.SETTLE, action, args);
    }

    // Eager: core calls a settlement method only when its settlement is subscribed.
    private Mono<Void> run(Scripts script, String action, List<byte[]> extra) {
        byte[][] args = new byte[4 + extra.size()][];
        args[0] = Keys.GROUP_BYTES;
        args[1] = EntryCodec.num(level);
        args[2] = entryId;
        args[3] = EntryCodec.num(deliveryCount);
        for (int i = 0; i < extra.size(); i++) {
            args[4 + i] = extra.get(i);
        }
        String topic = message.topic();
        return consumer.backend().script(script, () -> action + " message " + message.id() + " of '" + topic + "'",
                topic, args).then().doFinally(s -> consumer.settled());
    }
}
