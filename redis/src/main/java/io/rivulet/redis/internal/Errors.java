package io.rivulet.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.rivulet.redis.RedisBackendException;
import io.rivulet.redis.RedisOptions;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        String at = (o.cluster() ? "Redis Cluster at " : "Redis at ") + o.address();
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
        if (hasCause(e, RedisConnectionException.class) || e.getCause() instanceof ConnectException
                || (o.cluster() && isClusterConnect(e))) {
            if (hasCause(e, javax.net.ssl.SSLException.class) || mentions(e, "SSL") || mentions(e, "TLS")) {
                return new RedisBackendException("TLS handshake with " + at + " failed (" + rootMessage(e)
                        + "): " + tlsAdvice(o, e), e);
            }
            if (o.cluster() && mentions(e, "cluster support disabled")) {
                return new RedisBackendException(at + " is a standalone Redis, not a cluster node: turn "
                        + "RedisOptions.cluster off (or point RedisOptions.host/port at a cluster node)", e);
            }
            return new RedisBackendException("Cannot connect to " + at + " (" + rootMessage(e) + ") to " + what
                    + ": check that Redis runs there and RedisOptions.uri or RedisOptions.host/port"
                    + (o.cluster() ? " (the first seed) and RedisOptions.clusterSeeds" : "")
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

    /** What to check when the TLS handshake failed with {@code e}. */
    private static String tlsAdvice(RedisOptions o, Throwable e) {
        if (!o.tls()) {
            return "check RedisOptions.tls (false): the server may speak only TLS";
        }
        String root = rootMessage(e);
        if (hasCause(e, CertificateException.class) || root.contains("PKIX")
                || root.contains("certificate") && !root.contains("certificate_required")) {
            return "the server's certificate is not trusted: check RedisOptions.tlsTrustedCertificates ("
                    + (o.tlsTrustedCertificates() == null ? "not set, so the JVM's default CAs" : o.tlsTrustedCertificates())
                    + ": give the PEM of the CA that signed it) and RedisOptions.tlsVerifyPeer (the certificate must "
                    + "name the host)";
        }
        if (root.contains("certificate_required") || root.contains("bad_certificate")
                || root.contains("unknown_ca")) {
            return "the server wants a client certificate it trusts (tls-auth-clients): check "
                    + "RedisOptions.tlsClientCertificate (" + (o.tlsClientCertificate() == null ? "not set"
                    : o.tlsClientCertificate()) + ")";
        }
        return "check RedisOptions.tls (" + o.tls() + "), RedisOptions.tlsTrustedCertificates, "
                + "RedisOptions.tlsClientCertificate (servers with tls-auth-clients want one) and "
                + "RedisOptions.tlsVerifyPeer";
    }

    private static boolean isClusterConnect(Throwable e) {
        return mentions(e, "cluster partitions") || mentions(e, "connection to Redis Cluster");
    }

    /** Whether {@code e} will not go away by trying again: credentials, permissions, key types, TLS. */
    static boolean isLasting(Throwable e, boolean everConnected) {
        String server = serverError(e);
        if (server != null && (server.startsWith("WRONGPASS") || server.startsWith("NOAUTH")
                || server.startsWith("NOPERM") || server.contains("WRONGTYPE")
                || server.contains("invalid password") || server.contains("invalid username-password"))) {
            return true;
        }
        return !everConnected && hasCause(e, RedisConnectionException.class);
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
        return chain(e).stream().anyMatch(type::isInstance);
    }

    private static boolean mentions(Throwable e, String word) {
        return chain(e).stream().anyMatch(t -> t.getClass().getName().contains(word)
                || (t.getMessage() != null && t.getMessage().contains(word)));
    }

    /** {@code e}, its causes, and theirs of the exceptions they suppressed (a cluster client's per-seed errors). */
    private static List<Throwable> chain(Throwable e) {
        List<Throwable> all = new ArrayList<>();
        ArrayDeque<Throwable> todo = new ArrayDeque<>(List.of(e));
        while (!todo.isEmpty() && all.size() < 50) {
            Throwable t = todo.poll();
            if (all.stream().noneMatch(seen -> seen == t)) {
                all.add(t);
                if (t.getCause() != null) {
                    todo.add(t.getCause());
                }
                todo.addAll(Arrays.asList(t.getSuppressed()));
            }
        }
        return all;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        String shown = m == null ? root.getClass().getSimpleName() : firstLine(m);
        // A cluster client that reached no seed says so, and keeps each seed's reason as suppressed.
        Throwable[] seeds = root.getSuppressed();
        return seeds.length == 0 ? shown : shown + ": " + rootMessage(seeds[0]);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
