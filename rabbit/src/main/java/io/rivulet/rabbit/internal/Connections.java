package io.rivulet.rabbit.internal;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.rivulet.rabbit.RabbitConnectException;
import io.rivulet.rabbit.RabbitOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/** Opens the auto-recovering connection and turns connection failures into clear errors. */
public final class Connections {

    private Connections() {
    }

    /** Opens a connection for {@code options}; throws {@link RabbitConnectException} naming the cause. */
    public static Connection open(RabbitOptions options) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(options.host());
        f.setPort(options.port());
        f.setVirtualHost(options.virtualHost());
        f.setUsername(options.username());
        f.setPassword(options.password());
        f.setConnectionTimeout((int) options.connectTimeout().toMillis());
        f.setHandshakeTimeout((int) options.connectTimeout().toMillis());
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(options.recoveryInterval().toMillis());
        f.setRequestedHeartbeat(10);
        Map<String, Object> props = new HashMap<>(f.getClientProperties());
        props.put("connection_name", options.connectionName());
        f.setClientProperties(props);
        if (options.tls()) {
            try {
                SSLContext ssl = options.sslContext() != null ? options.sslContext() : SSLContext.getDefault();
                f.useSslProtocol(ssl);
                if (options.sslContext() == null) {
                    f.enableHostnameVerification();
                }
            } catch (NoSuchAlgorithmException e) {
                throw new RabbitConnectException("No TLS available in this JVM for RabbitMQ at "
                        + options.address() + ": set RabbitOptions.sslContext", e);
            }
        }
        try {
            return f.newConnection(options.connectionName());
        } catch (IOException | TimeoutException e) {
            throw explain(options, e);
        }
    }

    static RabbitConnectException explain(RabbitOptions o, Exception e) {
        String where = "RabbitMQ at " + o.address();
        if (e instanceof AuthenticationFailureException || has(e, AuthenticationFailureException.class)) {
            return new RabbitConnectException(where + " refused the login of user '" + o.username()
                    + "' (ACCESS_REFUSED): check RabbitOptions.username and RabbitOptions.password", e);
        }
        if (has(e, UnknownHostException.class)) {
            return new RabbitConnectException(where + " is unreachable: unknown host '" + o.host()
                    + "': check RabbitOptions.host", e);
        }
        if (has(e, ConnectException.class) || has(e, NoRouteToHostException.class)
                || has(e, SocketTimeoutException.class) || e instanceof TimeoutException) {
            return new RabbitConnectException(where + " is unreachable (" + Topology.rootMessage(e)
                    + "): start the broker or check RabbitOptions.host and RabbitOptions.port", e);
        }
        if (has(e, SSLException.class)) {
            return new RabbitConnectException("TLS with " + where + " failed (" + Topology.rootMessage(e)
                    + "): check RabbitOptions.tls, RabbitOptions.sslContext and that the port speaks TLS", e);
        }
        ShutdownSignalException sig = find(e, ShutdownSignalException.class);
        String reason = sig != null ? String.valueOf(sig.getReason()) : Topology.rootMessage(e);
        if (reason.contains("vhost") || reason.contains("NOT_ALLOWED")) {
            return new RabbitConnectException(where + " has no virtual host '" + o.virtualHost()
                    + "' that user '" + o.username() + "' may use: create it (rabbitmqctl add_vhost, set_permissions)"
                    + " or check RabbitOptions.virtualHost", e);
        }
        return new RabbitConnectException(where + " refused the connection (" + reason
                + "): check RabbitOptions and the broker's log", e);
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        return find(e, type) != null;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
