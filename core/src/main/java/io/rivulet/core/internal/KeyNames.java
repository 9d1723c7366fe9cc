package io.rivulet.core.internal;

/** Names of the dedup keys core asks backends to set, the same on every backend. */
final class KeyNames {

    private KeyNames() {
    }

    static String producerDedup(String topic, String dedupKey) {
        return "dedup:" + topic + ":" + dedupKey;
    }

    static String consumerDedup(String topic, String dedupKey) {
        return "processed:" + topic + ":" + dedupKey;
    }
}
