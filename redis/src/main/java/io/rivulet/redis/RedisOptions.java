package io.rivulet.redis;

import io.rivulet.core.internal.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable options of the Redis backend. Build with {@link #builder()}; {@link Builder#build()}
 * validates and names the parameter at fault. Where Redis is: either {@link Builder#uri} (e.g.
 * {@code redis://user:secret@cache:6379/2}, {@code rediss://} for TLS) or {@link Builder#host} and
 * {@link Builder#port}; settings given explicitly win over those in the URI. {@link #toString()}
 * never shows the password.
 *
 * <p>TLS: {@code rediss://} or {@link Builder#tls}; {@link Builder#tlsTrustedCertificates} trusts a
 * private CA, {@link Builder#tlsClientCertificate} presents a client certificate (mutual TLS).
 * Redis Cluster: {@link Builder#cluster} makes the URI (or host and port) the first seed node,
 * {@link Builder#clusterSeeds} adds more; the topology is discovered from them and refreshed.
 */
public final class RedisOptions {

    /** Default host. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port. */
    public static final int DEFAULT_PORT = 6379;
    /** Default prefix of every key Rivulet writes. */
    public static final String DEFAULT_KEY_PREFIX = "rivulet:";
    /** Default name the connections give themselves ({@code CLIENT SETNAME}). */
    public static final String DEFAULT_CLIENT_NAME = "rivulet";
    /** Default time to establish a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default time Redis has to answer one command. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** Default time an unsettled delivery stays with its consumer before another may claim it. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** Default longest time an idle consumer waits before it looks for due delays and stalled entries again. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Default most entries one read takes from Redis (Redis-side prefetch). */
    public static final int DEFAULT_FETCH_SIZE = 256;
    /** Default cap of each stream's length: 0, no cap. */
    public static final long DEFAULT_STREAM_MAX_LENGTH = 0;
    /** Default period of the Redis Cluster topology refresh (it also refreshes on MOVED and reconnects). */
    public static final Duration DEFAULT_CLUSTER_REFRESH_PERIOD = Duration.ofSeconds(30);

    private static final RedisOptions DEFAULTS = builder().build();

    private final String uri;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final Boolean tls;
    private final boolean tlsVerifyPeer;
    private final Path tlsTrustedCertificates;
    private final Path tlsClientCertificate;
    private final Path tlsClientKey;
    private final String tlsClientKeyPassword;
    private final boolean cluster;
    private final List<String> clusterSeeds;
    private final Duration clusterRefreshPeriod;
    private final Integer database;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final String keyPrefix;
    private final String clientName;
    private final Duration visibilityTimeout;
    private final Duration pollInterval;
    private final int fetchSize;
    private final long streamMaxLength;

    private RedisOptions(Builder b) {
        this.uri = b.uri;
        this.host = b.host;
        this.port = b.port;
        this.username = b.username;
        this.password = b.password;
        this.tls = b.tls;
        this.tlsVerifyPeer = b.tlsVerifyPeer;
        this.tlsTrustedCertificates = b.tlsTrustedCertificates;
        this.tlsClientCertificate = b.tlsClientCertificate;
        this.tlsClientKey = b.tlsClientKey;
        this.tlsClientKeyPassword = b.tlsClientKeyPassword;
        this.cluster = b.cluster;
        this.clusterSeeds = b.clusterSeeds;
        this.clusterRefreshPeriod = b.clusterRefreshPeriod;
        this.database = b.database;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.keyPrefix = b.keyPrefix;
        this.clientName = b.clientName;
        this.visibilityTimeout = b.visibilityTimeout;
        this.pollInterval = b.pollInterval;
        this.fetchSize = b.fetchSize;
        this.streamMaxLength = b.streamMaxLength;
    }

    /** The defaults: Redis on 127.0.0.1:6379, database 0, no password, no TLS. */
    public static RedisOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder mutate() {
        Builder b = new Builder();
        b.uri = uri;
        b.host = host;
        b.port = port;
        b.username = username;
        b.password = password;
        b.tls = tls;
        b.tlsVerifyPeer = tlsVerifyPeer;
        b.tlsTrustedCertificates = tlsTrustedCertificates;
        b.tlsClientCertificate = tlsClientCertificate;
        b.tlsClientKey = tlsClientKey;
        b.tlsClientKeyPassword = tlsClientKeyPassword;
        b.cluster = cluster;
        b.clusterSeeds = clusterSeeds;
        b.clusterRefreshPeriod = clusterRefreshPeriod;
        b.database = database;
        b.connectTimeout = connectTimeout;
        b.commandTimeout = commandTimeout;
        b.keyPrefix = keyPrefix;
        b.clientName = clientName;
        b.visibilityTimeout = visibilityTimeout;
        b.pollInterval = pollInterval;
        b.fetchSize = fetchSize;
        b.streamMaxLength = streamMaxLength;
        return b;
    }

    /** The Redis URI, or {@code null} when host and port are used. */
    public String uri() {
        return uri;
    }

    /** The host (ignored when a URI is set). */
    public String host() {
        return host;
    }

    /** The port (ignored when a URI is set). */
    public int port() {
        return port;
    }

    /** The ACL user name, or {@code null} (the URI's, or Redis's {@code default} user). */
    public String username() {
        return username;
    }

    /** The password, or {@code null}. Never logged. */
    public String password() {
        return password;
    }

    /** Whether TLS is on: set explicitly, else the URI's scheme ({@code rediss}), else off. */
    public boolean tls() {
        return tls != null ? tls : uri != null && uri.startsWith("rediss:");
    }

    /** Whether TLS verifies the server's certificate and host name. */
    public boolean tlsVerifyPeer() {
        return tlsVerifyPeer;
    }

    /**
     * The PEM file of the CA certificates TLS trusts instead of the JVM's default trust store, or
     * {@code null} for the JVM's default.
     */
    public Path tlsTrustedCertificates() {
        return tlsTrustedCertificates;
    }

    /** The PEM file of the client certificate chain for mutual TLS, or {@code null} for none. */
    public Path tlsClientCertificate() {
        return tlsClientCertificate;
    }

    /** The PEM file (PKCS#8) of the client certificate's private key, or {@code null} for none. */
    public Path tlsClientKey() {
        return tlsClientKey;
    }

    /** The password of an encrypted client key, or {@code null}. Never logged. */
    public String tlsClientKeyPassword() {
        return tlsClientKeyPassword;
    }

    /** Whether Redis is a Redis Cluster, reached through {@link #clusterSeeds()}. */
    public boolean cluster() {
        return cluster;
    }

    /**
     * The cluster's seed nodes as {@code host:port}: the URI's (or host and port) first, then those
     * of {@link Builder#clusterSeeds}. Empty unless {@link #cluster()}.
     */
    public List<String> clusterSeeds() {
        if (!cluster) {
            return List.of();
        }
        ArrayList<String> all = new ArrayList<>();
        all.add(firstAddress());
        clusterSeeds.stream().filter(s -> !all.contains(s)).forEach(all::add);
        return List.copyOf(all);
    }

    /** How often the cluster topology is refreshed besides on MOVED/ASK redirects and reconnects. */
    public Duration clusterRefreshPeriod() {
        return clusterRefreshPeriod;
    }

    /** The database number, or {@code null} for the URI's (else 0). */
    public Integer database() {
        return database;
    }

    /** How long establishing a connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long Redis has to answer one command (a publish, a settlement, a read). */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The prefix of every key: {@code <prefix>{<topic>}:stream:<priority>} and so on. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The name the connections give themselves, seen in {@code CLIENT LIST}. */
    public String clientName() {
        return clientName;
    }

    /** How long a delivery may stay unsettled before a live consumer claims it, as attempt + 1. */
    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    /** The longest an idle consumer blocks before it checks again for due delays and stalled entries. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** The most entries one read takes from Redis; a consumer also never exceeds its demand and prefetch. */
    public int fetchSize() {
        return fetchSize;
    }

    /** The approximate cap of each stream ({@code XADD MAXLEN ~}), 0 for none; trimmed entries are lost. */
    public long streamMaxLength() {
        return streamMaxLength;
    }

    /**
     * Where Redis is, for messages: {@code host:port}, without credentials; for a cluster, its seed
     * nodes separated by commas.
     */
    public String address() {
        return cluster ? String.join(",", clusterSeeds()) : firstAddress();
    }

    private String firstAddress() {
        if (uri == null) {
            return host + ":" + port;
        }
        URI parsed = URI.create(uri);
        return parsed.getHost() + ":" + (parsed.getPort() < 0 ? DEFAULT_PORT : parsed.getPort());
    }

    @Override
    public String toString() {
        return "RedisOptions{address=" + address() + ", username=" + username + ", password="
                + (password == null ? "none" : "***") + ", tls=" + tls()
                + (tlsTrustedCertificates == null ? "" : ", tlsTrustedCertificates=" + tlsTrustedCertificates)
                + (tlsClientCertificate == null ? "" : ", tlsClientCertificate=" + tlsClientCertificate)
                + ", cluster=" + cluster + ", database=" + database
                + ", keyPrefix=" + keyPrefix + ", visibilityTimeout=" + visibilityTimeout + "}";
    }

    /** Builder for {@link RedisOptions}. Not thread-safe. */
    public static final class Builder {
        private String uri;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String username;
        private String password;
        private Boolean tls;
        private boolean tlsVerifyPeer = true;
        private Path tlsTrustedCertificates;
        private Path tlsClientCertificate;
        private Path tlsClientKey;
        private String tlsClientKeyPassword;
        private boolean cluster;
        private List<String> clusterSeeds = List.of();
        private Duration clusterRefreshPeriod = DEFAULT_CLUSTER_REFRESH_PERIOD;
        private Integer database;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private String clientName = DEFAULT_CLIENT_NAME;
        private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int fetchSize = DEFAULT_FETCH_SIZE;
        private long streamMaxLength = DEFAULT_STREAM_MAX_LENGTH;

        private Builder() {
        }

        /** Sets a Redis URI ({@code redis://[user:password@]host[:port][/database]}, {@code rediss://} for TLS). */
        public Builder uri(String uri) {
            this.uri = Objects.requireNonNull(uri, "RedisOptions.uri");
            return this;
        }

        /** Sets the host (when no URI is set). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "RedisOptions.host");
            return this;
        }

        /** Sets the port (when no URI is set), 1–65535. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Sets the ACL user name. */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "RedisOptions.username");
            return this;
        }

        /** Sets the password (of the ACL user, or {@code requirepass}). */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "RedisOptions.password");
            return this;
        }

        /** Turns TLS on or off. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Sets whether TLS verifies the server's certificate and host name (default true). */
        public Builder tlsVerifyPeer(boolean verify) {
            this.tlsVerifyPeer = verify;
            return this;
        }

        /**
         * Trusts the CA certificates of a PEM file ({@code -----BEGIN CERTIFICATE-----} blocks)
         * instead of the JVM's default trust store: for servers with a private CA. Needs TLS on.
         * The file is checked by {@link #build()} and read again by every new connection.
         */
        public Builder tlsTrustedCertificates(Path pemFile) {
            this.tlsTrustedCertificates = Objects.requireNonNull(pemFile, "RedisOptions.tlsTrustedCertificates");
            return this;
        }

        /**
         * Presents a client certificate for mutual TLS (Redis's {@code tls-auth-clients yes}): the
         * certificate chain and its unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE
         * KEY-----}), both PEM files. Needs TLS on.
         */
        public Builder tlsClientCertificate(Path certificateChainPem, Path privateKeyPem) {
            this.tlsClientCertificate = Objects.requireNonNull(certificateChainPem, "RedisOptions.tlsClientCertificate");
            this.tlsClientKey = Objects.requireNonNull(privateKeyPem, "RedisOptions.tlsClientCertificate (key)");
            return this;
        }

        /** Sets the password of an encrypted PKCS#8 client key ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}). */
        public Builder tlsClientKeyPassword(String password) {
            this.tlsClientKeyPassword = Objects.requireNonNull(password, "RedisOptions.tlsClientKeyPassword");
            return this;
        }

        /**
         * Turns Redis Cluster mode on or off (default off). On, the URI (or host and port) is the
         * first seed node; the others are discovered, and the topology is refreshed every
         * {@link #clusterRefreshPeriod} and on redirects. Cluster mode has database 0 only.
         */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * Adds seed nodes of the cluster as {@code host:port}, tried when the first is down; same
         * credentials and TLS settings. Needs {@link #cluster(boolean) cluster(true)}.
         */
        public Builder clusterSeeds(String... hostPorts) {
            Objects.requireNonNull(hostPorts, "RedisOptions.clusterSeeds");
            for (String s : hostPorts) {
                Objects.requireNonNull(s, "RedisOptions.clusterSeeds");
            }
            this.clusterSeeds = List.of(hostPorts);
            return this;
        }

        /** Sets how often the cluster topology is refreshed besides on redirects (default 30 s). */
        public Builder clusterRefreshPeriod(Duration period) {
            this.clusterRefreshPeriod = Objects.requireNonNull(period, "RedisOptions.clusterRefreshPeriod");
            return this;
        }

        /** Sets the database number, 0 or more. */
        public Builder database(int database) {
            this.database = database;
            return this;
        }

        /** Sets how long establishing a connection may take. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "RedisOptions.connectTimeout");
            return this;
        }

        /** Sets how long Redis has to answer one command. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout, "RedisOptions.commandTimeout");
            return this;
        }

        /** Sets the prefix of every key; must not contain braces (they would break the hash tag). */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = Objects.requireNonNull(prefix, "RedisOptions.keyPrefix");
            return this;
        }

        /** Sets the connections' client name; no spaces. */
        public Builder clientName(String name) {
            this.clientName = Objects.requireNonNull(name, "RedisOptions.clientName");
            return this;
        }

        /** Sets how long a delivery may stay unsettled before another consumer claims it. */
        public Builder visibilityTimeout(Duration timeout) {
            this.visibilityTimeout = Objects.requireNonNull(timeout, "RedisOptions.visibilityTimeout");
            return this;
        }

        /** Sets the longest an idle consumer blocks before checking delays and stalled entries again. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "RedisOptions.pollInterval");
            return this;
        }

        /** Sets the most entries one read takes, 1–10,000. */
        public Builder fetchSize(int fetchSize) {
            this.fetchSize = fetchSize;
            return this;
        }

        /** Sets the approximate cap of each stream, 0 for none. */
        public Builder streamMaxLength(long maxLength) {
            this.streamMaxLength = maxLength;
            return this;
        }

        /** Validates and builds. */
        public RedisOptions build() {
            if (uri != null) {
                URI parsed;
                try {
                    parsed = URI.create(uri);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("RedisOptions.uri is not a URI: " + e.getMessage()
                            .replace(uri, "<uri>"), e);
                }
                if (!"redis".equals(parsed.getScheme()) && !"rediss".equals(parsed.getScheme())) {
                    throw new IllegalArgumentException("RedisOptions.uri must start with redis:// or rediss://, was "
                            + parsed.getScheme() + "://...");
                }
                if (parsed.getHost() == null) {
                    throw new IllegalArgumentException("RedisOptions.uri has no host: use redis://host:port");
                }
            }
            if (username != null && password == null) {
                throw new IllegalArgumentException("RedisOptions.username is set without RedisOptions.password");
            }
            if (host.isBlank()) {
                throw new IllegalArgumentException("RedisOptions.host must not be blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("RedisOptions.port must be 1-65535, was " + port);
            }
            if (database != null && database < 0) {
                throw new IllegalArgumentException("RedisOptions.database must be >= 0, was " + database);
            }
            if (keyPrefix.contains("{") || keyPrefix.contains("}")) {
                throw new IllegalArgumentException("RedisOptions.keyPrefix must not contain '{' or '}' (the topic is "
                        + "the hash tag), was '" + keyPrefix + "'");
            }
            if (clientName.isEmpty() || clientName.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("RedisOptions.clientName must be non-empty without spaces, was '"
                        + clientName + "'");
            }
            Durations.requireMillis(connectTimeout, "RedisOptions.connectTimeout");
            Durations.requireMillis(commandTimeout, "RedisOptions.commandTimeout");
            Durations.requireMillis(visibilityTimeout, "RedisOptions.visibilityTimeout");
            Durations.requireMillis(pollInterval, "RedisOptions.pollInterval");
            if (fetchSize < 1 || fetchSize > 10_000) {
                throw new IllegalArgumentException("RedisOptions.fetchSize must be 1-10000, was " + fetchSize);
            }
            boolean tlsOn = tls != null ? tls : uri != null && uri.startsWith("rediss:");
            OptionChecks.checkTls(tlsOn, tlsTrustedCertificates, tlsClientCertificate, tlsClientKey,
                    tlsClientKeyPassword);
            OptionChecks.checkCluster(cluster, clusterSeeds, database, uri);
            Durations.requireMillis(clusterRefreshPeriod, "RedisOptions.clusterRefreshPeriod");
            if (streamMaxLength < 0) {
                throw new IllegalArgumentException("RedisOptions.streamMaxLength must be >= 0 (0: no cap), was "
                        + streamMaxLength);
            }
            return new RedisOptions(this);
        }
    }
}
