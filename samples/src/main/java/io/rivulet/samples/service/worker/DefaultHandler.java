package io.rivulet.samples.service.worker;

import io.rivulet.core.Codec;
import io.rivulet.core.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The handler of configured topics that have no handler of their own: logs the topic, the message
 * id and the payload size (never the payload) and acks, so unknown traffic is visible and does not
 * pile up.
 */
public final class DefaultHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultHandler.class);

    private DefaultHandler() {
    }

    /** The default handler for {@code topic}, consuming payloads as raw bytes. */
    public static TopicHandler<byte[]> of(String topic) {
        return TopicHandler.always(topic, Codec.bytes(), DefaultHandler::handle);
    }

    private static Mono<String> handle(Message<byte[]> message) {
        return Mono.fromSupplier(() -> {
            String what = "no handler for topic '" + message.topic() + "': logged and acked ("
                    + message.payload().length + " bytes)";
            LOG.info("[{}] unknown topic: message {} ({} bytes) has no handler; acked",
                    message.topic(), message.id(), message.payload().length);
            return what;
        });
    }
}
