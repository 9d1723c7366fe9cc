package io.rivulet.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.rivulet.redis.RedisBackendException;
import io.rivulet.redis.RedisOptions;

/**
 * Turns Lettuce's errors into messages that say what happened, where, and which option to check
 * (never with a password), and tells lasting trouble (configuration) from passing trouble (an
 * outage, a restart) that a consumer rides out.
 */
final class Errors {

    private Errors() {
    }

    /** The error to show for {@code e}, which happened while doing {@code what}. */
    static Throwable translate(Throwable e, RedisOptions o, String what, String keyPattern) {
        if (e instanceof RedisBackendException || !(isLettuce(e))) {
            return e;
        }
        String at = "Redis at " + o.address();
        String server = serverError(e);
        if (server != null) {
            if (server.startsWith("WRONGPASS") || server.contains("invalid password")
                    || server.contains("invalid username-password")) {
                return new RedisBackendException(at + " refused AUTH for user '"
                        + (o.username() == null ? "default" : o.username())
                        + "': check RedisOptions.password and RedisOptions.username", e);
            }
            if (server.startsWith("NOAUTH")) {
                return new RedisBackendException(at + " requires a password: set RedisOptions.password (and "
                        + "RedisOptions.username for an ACL user)", e);
            }
            if (server.startsWith("NOPERM")) {
                return new RedisBackendException(at + " denied a command to user '"
                        + (o.username() == null ? "default" : o.username()) + "' while trying to " + what
                        + " (" + firstLine(server) + "): grant the user stream, sorted-set, hash, string and "
                        + "scripting commands on keys '" + o.keyPrefix() + "*'", e);
            }
            if (server.startsWith("WRONGTYPE") || server.contains("WRONGTYPE")) {
                return new RedisBackendException(at + ": a key matching '" + keyPattern + "' holds a value of "
                        + "another type, so Rivulet cannot " + what + ": another application uses these keys; "
                        + "choose another RedisOptions.keyPrefix (now '" + o.keyPrefix() + "') or delete the key",
                        e);
            }
        }
        if (e instanceof RedisConnectionException || e.getCause() instanceof java.net.ConnectException) {
            if (hasCause(e, javax.net.ssl.SSLException.class) || mentions(e, "SSL") || mentions(e, "TLS")) {
                return new RedisBackendException("TLS handshake with " + at + " failed (" + rootMessage(e)
                        + "): check RedisOptions.tls (" + o.tls() + ") and RedisOptions.tlsVerifyPeer", e);
            }
            return new RedisBackendException("Cannot connect to " + at + " (" + rootMessage(e) + ") to " + what
                    + ": check that Redis runs there and RedisOptions.uri or RedisOptions.host/port"
                    + (o.tls() ? " and RedisOptions.tls" : ""), e);
        }
        if (e instanceof RedisCommandTimeoutException) {
            return new RedisBackendException(at + " did not answer within RedisOptions.commandTimeout ("
                    + o.commandTimeout() + ") to " + what + ": is it overloaded or unreachable?", e);
        }
        if (server != null) {
            return new RedisBackendException(at + " refused to " + what + ": " + firstLine(server), e);
        }
        return e;
    }

    /** Whether {@code e} will not go away by trying again: credentials, permissions, key types, TLS. */
    static boolean isLasting(Throwable e, boolean everConnected) {
        String server = serverError(e);
        if (server != null && (server.startsWith("WRONGPASS") || server.startsWith("NOAUTH")
                || server.startsWith("NOPERM") || server.contains("WRONGTYPE")
                || server.contains("invalid password") || server.contains("invalid username-password"))) {
            return true;
        }
        return !everConnected && (e instanceof RedisConnectionException
                || e.getCause() instanceof RedisConnectionException);
    }

    private static boolean isLettuce(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("io.lettuce.")) {
                return true;
            }
        }
        return false;
    }

    private static String serverError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(Throwable e, String word) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().contains(word) || (t.getMessage() != null && t.getMessage().contains(word))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : firstLine(m);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
