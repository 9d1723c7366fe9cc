package io.rivulet.redis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;

/**
 * The TLS and cluster checks of {@link RedisOptions.Builder#build()}. A missing, unreadable or
 * wrong PEM file is a configuration error there, not a puzzling handshake failure on the first
 * operation.
 */
final class OptionChecks {

    private OptionChecks() {
    }

    /** Checks the TLS files: TLS on, readable, PEM of the right kind. */
    static void checkTls(boolean tlsOn, Path trusted, Path clientCertificate, Path clientKey, String keyPassword) {
        if (trusted != null) {
            requireTls(tlsOn, "RedisOptions.tlsTrustedCertificates");
            checkCertificates(trusted, "RedisOptions.tlsTrustedCertificates");
        }
        if (clientCertificate != null) {
            requireTls(tlsOn, "RedisOptions.tlsClientCertificate");
            checkCertificates(clientCertificate, "RedisOptions.tlsClientCertificate");
            checkPrivateKey(clientKey, keyPassword != null, "RedisOptions.tlsClientCertificate (key)");
        } else if (keyPassword != null) {
            throw new IllegalArgumentException("RedisOptions.tlsClientKeyPassword is set without "
                    + "RedisOptions.tlsClientCertificate");
        }
    }

    /** Checks the cluster settings: seeds only with cluster mode, each {@code host:port}, database 0. */
    static void checkCluster(boolean cluster, List<String> seeds, Integer database, String uri) {
        if (!seeds.isEmpty() && !cluster) {
            throw new IllegalArgumentException("RedisOptions.clusterSeeds is set but RedisOptions.cluster is "
                    + "off: set cluster(true)");
        }
        for (String seed : seeds) {
            checkSeed(seed);
        }
        if (cluster && database != null && database != 0) {
            throw new IllegalArgumentException("RedisOptions.database must be 0 with RedisOptions.cluster "
                    + "(Redis Cluster has database 0 only), was " + database);
        }
        String uriPath = uri == null ? null : URI.create(uri).getPath();
        if (cluster && uriPath != null && uriPath.length() > 1 && !uriPath.equals("/0")) {
            throw new IllegalArgumentException("RedisOptions.uri names a database, but Redis Cluster "
                    + "(RedisOptions.cluster) has database 0 only");
        }
    }

    private static void requireTls(boolean tlsOn, String option) {
        if (!tlsOn) {
            throw new IllegalArgumentException(option + " is set but TLS is off: use a rediss:// URI or "
                    + "RedisOptions.tls(true)");
        }
    }

    private static void checkSeed(String seed) {
        URI parsed;
        try {
            parsed = URI.create("redis://" + seed);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null || parsed.getHost() == null || parsed.getPort() < 1 || parsed.getUserInfo() != null
                || (parsed.getPath() != null && !parsed.getPath().isEmpty())) {
            throw new IllegalArgumentException("RedisOptions.clusterSeeds must be host:port each (no "
                    + "credentials: they come from the other options), was '"
                    + (seed.contains("@") ? "<hidden>" : seed) + "'");
        }
    }

    /** Checks that {@code file} holds at least one PEM X.509 certificate. */
    private static void checkCertificates(Path file, String option) {
        byte[] content = read(file, option);
        try (InputStream in = new ByteArrayInputStream(content)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw notPem(file, option, "no certificate");
            }
        } catch (CertificateException | IOException e) {
            throw notPem(file, option, e.getMessage());
        }
    }

    /** Checks that {@code file} holds a PKCS#8 PEM private key (encrypted only with a password). */
    private static void checkPrivateKey(Path file, boolean hasPassword, String option) {
        String text = new String(read(file, option), StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new IllegalArgumentException(option + ": " + file + " holds a PKCS#1/SEC1 key; give a PKCS#8 "
                    + "key (-----BEGIN PRIVATE KEY-----), e.g. from 'openssl pkcs8 -topk8 -nocrypt -in <key>'");
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            if (!hasPassword) {
                throw new IllegalArgumentException(option + ": " + file + " holds an encrypted key: set "
                        + "RedisOptions.tlsClientKeyPassword");
            }
            return;
        }
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(option + ": " + file.toAbsolutePath() + " is not a PEM private key "
                    + "(no '-----BEGIN PRIVATE KEY-----')");
        }
    }

    private static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + ": no such file " + file.toAbsolutePath(), e);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(option + ": cannot read " + file.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    private static IllegalArgumentException notPem(Path file, String option, String detail) {
        return new IllegalArgumentException(option + ": " + file.toAbsolutePath() + " is not a PEM file of X.509 "
                + "certificates (" + detail + ")");
    }
}
