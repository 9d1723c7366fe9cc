package io.rivulet.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public API mentions neither Rivulet's internals nor the AMQP client libraries, so they stay replaceable. */
class RabbitApiSurfaceTest {

    private static final List<Class<?>> PUBLIC_TYPES = List.of(RabbitBroker.class, RabbitOptions.class,
            RabbitOptions.Builder.class, RabbitOptions.QueueType.class, RabbitConnectException.class);

    @Test
    void publicSignaturesMentionNoInternalOrClientType() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : PUBLIC_TYPES) {
            Stream.concat(Stream.of(type.getDeclaredMethods()), Stream.of(type.getDeclaredConstructors()))
                    .filter(e -> Modifier.isPublic(e.getModifiers()))
                    .forEach(e -> check(type, e, leaks));
        }
        assertThat(leaks).isEmpty();
    }

    private static void check(Class<?> owner, Executable e, List<String> leaks) {
        List<Class<?>> mentioned = new ArrayList<>(List.of(e.getParameterTypes()));
        if (e instanceof Method m) {
            mentioned.add(m.getReturnType());
        }
        mentioned.addAll(List.of(e.getExceptionTypes()));
        for (Class<?> c : mentioned) {
            String n = c.getName();
            if (n.contains(".internal.") || n.startsWith("com.rabbitmq.") || n.startsWith("reactor.rabbitmq.")) {
                leaks.add(owner.getSimpleName() + "." + (e instanceof Constructor<?> ? "<init>" : e.getName()) + " -> " + n);
            }
        }
    }
}
