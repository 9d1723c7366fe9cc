package io.rivulet.kafka.internal;

import io.rivulet.core.RivuletException;
import io.rivulet.kafka.KafkaOptions;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Turns Kafka client errors into errors that say what happened, to what, and what to do. */
final class KafkaErrors {

    private final KafkaOptions options;

    KafkaErrors(KafkaOptions options) {
        this.options = options;
    }

    /** The error for {@code e}, raised while {@code action} (e.g. "publishing to 'orders'"). */
    RuntimeException translate(Throwable e, String action) {
        Throwable c = unwrap(e);
        if (c instanceof RivuletException r) {
            return r;
        }
        String where = "Kafka at " + options.bootstrapServers();
        if (c instanceof SaslAuthenticationException) {
            return new RivuletException(where + " refused SASL authentication for user '" + options.saslUsername()
                    + "' while " + action + ": check KafkaOptions.sasl (mechanism, user name, password)", c);
        }
        if (c instanceof SslAuthenticationException) {
            return new RivuletException(where + " failed the TLS handshake while " + action
                    + ": check KafkaOptions.tls (truststore) and that the listener speaks TLS", c);
        }
        if (c instanceof AuthorizationException) {
            return new RivuletException(where + " denied access while " + action + " (" + c.getMessage()
                    + "): grant the ACLs to the user of KafkaOptions.sasl", c);
        }
        if (c instanceof UnknownTopicOrPartitionException) {
            return new RivuletException(where + " has no such topic while " + action
                    + ": create it, or set KafkaOptions.autoCreateTopics(true)", c);
        }
        if (c instanceof TimeoutException) {
            return new RivuletException(where + " did not answer within " + options.apiTimeout().toMillis()
                    + " ms while " + action + ": check KafkaOptions.bootstrapServers, that Kafka is running and "
                    + "reachable, and KafkaOptions.sasl/tls match its listener", c);
        }
        return new RivuletException(where + " failed while " + action + ": " + c, c);
    }

    static Throwable unwrap(Throwable e) {
        Throwable c = e;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
