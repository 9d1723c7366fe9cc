package io.rivulet.core.internal;

import java.util.regex.Pattern;

/** Topic name rules shared by every backend: safe as a Redis key part, Kafka topic and AMQP queue name. */
final class TopicNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private TopicNames() {
    }

    static String validate(String topic) {
        if (topic == null || !VALID.matcher(topic).matches()) {
            throw new IllegalArgumentException("Invalid topic name '" + topic + "': use 1 to 200 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit (e.g. 'order.paid')");
        }
        return topic;
    }
}
