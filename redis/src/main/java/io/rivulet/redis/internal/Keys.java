package io.rivulet.redis.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rivulet's key layout on Redis. Every key of a topic carries the topic as its hash tag, so every
 * script touching one topic's keys runs on one Redis Cluster slot:
 * <pre>
 * &lt;prefix&gt;{&lt;topic&gt;}:stream:&lt;0..9&gt;   stream per priority level, consumer group "rivulet"
 * &lt;prefix&gt;{&lt;topic&gt;}:delayed      sorted set, score = due time (epoch ms)
 * &lt;prefix&gt;{&lt;topic&gt;}:dead         stream of dead letters
 * &lt;prefix&gt;{&lt;topic&gt;}:stats        hash: completed, failed, retried
 * &lt;prefix&gt;{&lt;topic&gt;}:dedup:&lt;key&gt;   producer dedup (SET NX PX)
 * &lt;prefix&gt;{&lt;topic&gt;}:processed:&lt;key&gt; consumer dedup (SET NX PX)
 * &lt;prefix&gt;topics               set of every topic published to
 * </pre>
 */
final class Keys {

    static final String GROUP = "rivulet";
    static final int LEVELS = 10;
    static final int DELAYED = 10;
    static final int DEAD = 11;
    static final int STATS = 12;

    private final String prefix;
    private final Map<String, String[]> topicKeys = new ConcurrentHashMap<>();

    Keys(String prefix) {
        this.prefix = prefix;
    }

    /** The 13 keys every topic script gets: streams 0..9, delayed, dead, stats. */
    String[] topic(String topic) {
        String[] keys = topicKeys.get(topic);
        return keys != null ? keys : topicKeys.computeIfAbsent(topic, this::build);
    }

    private String[] build(String topic) {
        String base = prefix + "{" + topic + "}:";
        String[] keys = new String[13];
        for (int level = 0; level < LEVELS; level++) {
            keys[level] = base + "stream:" + level;
        }
        keys[DELAYED] = base + "delayed";
        keys[DEAD] = base + "dead";
        keys[STATS] = base + "stats";
        return keys;
    }

    String topics() {
        return prefix + "topics";
    }

    /** The pattern of every key of a topic, for messages. */
    String pattern(String topic) {
        return prefix + "{" + topic + "}:*";
    }

    /**
     * The Redis key for one of core's dedup keys ({@code dedup:<topic>:<key>} or
     * {@code processed:<topic>:<key>}): under the topic's hash tag. Topic names cannot hold ':'.
     */
    String dedup(String coreKey) {
        int first = coreKey.indexOf(':');
        int second = first < 0 ? -1 : coreKey.indexOf(':', first + 1);
        if (second < 0) {
            return prefix + "key:" + coreKey;
        }
        return prefix + "{" + coreKey.substring(first + 1, second) + "}:" + coreKey.substring(0, first) + ":"
                + coreKey.substring(second + 1);
    }
}
