package io.rivulet.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import reactor.core.publisher.Mono;

/**
 * Rivulet's Lua scripts (resources next to this class, each prefixed with {@code common.lua}), run
 * by SHA-1 with {@code EVALSHA}. After {@code SCRIPT FLUSH} or a restart Redis answers NOSCRIPT;
 * the script then runs by {@code EVAL}, which loads it again (on a cluster, each master loads it the
 * first time it runs a script there).
 */
enum Scripts {
    FETCH("fetch"), PUBLISH("publish"), ACK("ack"), SETTLE("settle"), REPLAY("replay"), STATS("stats"), CLEAR("clear"),
    PURGE("purge");

    private final String source;
    private final String sha;

    Scripts(String name) {
        this.source = read("common") + "\n" + read(name);
        this.sha = sha1(source);
    }

    /** Runs the script; emits its reply: a List of nested Lists, Longs and byte[]. */
    Mono<Object> run(RedisClusterReactiveCommands<String, byte[]> redis, String[] keys, byte[]... args) {
        // The MULTI output emits the whole reply as one List (an integer reply as a List of one Long).
        return redis.<Object>evalsha(sha, ScriptOutputType.MULTI, keys, args)
                .next()
                .onErrorResume(Scripts::isNoScript,
                        e -> redis.<Object>eval(source, ScriptOutputType.MULTI, keys, args).next());
    }

    String source() {
        return source;
    }

    String sha() {
        return sha;
    }

    private static boolean isNoScript(Throwable e) {
        return e instanceof RedisNoScriptException || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"));
    }

    private static String read(String name) {
        try (InputStream in = Scripts.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("Missing script " + name + ".lua on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
