package io.rivulet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's public API ({@code io.rivulet.redis}) never mentions an internal type or one of
 * Lettuce's: users need neither, and Lettuce stays replaceable.
 */
class RedisApiSurfaceTest {

    private static final List<Class<?>> API = List.of(RedisBroker.class, RedisOptions.class,
            RedisOptions.Builder.class, RedisBackendException.class);

    @Test
    void publicSignaturesMentionNeitherInternalNorLettuceTypes() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : API) {
            List<Executable> members = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            members.addAll(List.of(type.getDeclaredMethods()));
            for (Executable m : members) {
                if (!Modifier.isPublic(m.getModifiers()) && !Modifier.isProtected(m.getModifiers())) {
                    continue;
                }
                Stream<String> mentioned = Stream.concat(Stream.of(m.getGenericParameterTypes()),
                        m instanceof Method method ? Stream.of(method.getGenericReturnType()) : Stream.empty())
                        .map(t -> t.getTypeName());
                mentioned.filter(n -> n.contains(".internal.") || n.contains("io.lettuce"))
                        .forEach(n -> leaks.add(type.getSimpleName() + "#" + m.getName() + " mentions " + n));
            }
            if (type.getSuperclass() != null && type.getSuperclass().getName().contains(".internal.")) {
                leaks.add(type.getSimpleName() + " extends " + type.getSuperclass().getName());
            }
        }
        assertThat(leaks).isEmpty();
    }
}
