package io.rivulet.benchmarks.redis;

import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What a raw Lettuce peer needs to issue exactly Rivulet's commands: a topic's thirteen keys in the
 * order Rivulet's scripts expect them, and Rivulet's scripts (each prefixed with {@code common.lua})
 * loaded into Redis. The scripts are read from the redis module's jar, so the peers always run the
 * scripts of the Rivulet they are compared with.
 */
public final class RivuletLayout {

    private static final String SCRIPTS = "/io/rivulet/redis/internal/";
    private static final int LEVELS = 10;

    private RivuletLayout() {
    }

    /** The keys of {@code topic} under {@code prefix}: streams 0…9, delayed set, dead letters, counters. */
    public static String[] keys(String prefix, String topic) {
        String base = prefix + "{" + topic + "}:";
        String[] keys = new String[LEVELS + 3];
        for (int level = 0; level < LEVELS; level++) {
            keys[level] = base + "stream:" + level;
        }
        keys[LEVELS] = base + "delayed";
        keys[LEVELS + 1] = base + "dead";
        keys[LEVELS + 2] = base + "stats";
        return keys;
    }

    /** Loads Rivulet's script {@code name} ({@code "fetch"}, {@code "ack"}, {@code "publish"}…); returns its SHA-1. */
    public static String load(RedisCommands<String, byte[]> redis, String name) {
        return redis.scriptLoad(read("common") + "\n" + read(name));
    }

    private static String read(String name) {
        try (InputStream in = RivuletLayout.class.getResourceAsStream(SCRIPTS + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("Rivulet's script " + name + ".lua is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
