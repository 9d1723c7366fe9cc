package io.rivulet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails if a public or protected signature of the API ({@code io.rivulet.core},
 * {@code io.rivulet.core.memory}) or SPI ({@code io.rivulet.core.spi}) mentions a type from an
 * {@code .internal} package: users must never need internals, and backends only the SPI.
 */
class ApiSurfaceTest {

    private static final List<String> PUBLIC_PACKAGES =
            List.of("io.rivulet.core", "io.rivulet.core.memory", "io.rivulet.core.spi");

    @Test
    void publicSignaturesNeverMentionInternalTypes() throws Exception {
        List<Class<?>> types = publicTypes();
        assertThat(types).as("public types found on the classpath").contains(Broker.class, Message.class,
                io.rivulet.core.spi.Backend.class);

        List<String> leaks = new ArrayList<>();
        for (Class<?> type : types) {
            check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
            for (Type i : type.getGenericInterfaces()) {
                check(type.getName() + " implements", i, leaks);
            }
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m) && !m.isSynthetic()) {
                    String where = type.getName() + "#" + m.getName();
                    check(where, m.getGenericReturnType(), leaks);
                    checkAll(where, m.getGenericParameterTypes(), leaks);
                    checkAll(where, m.getGenericExceptionTypes(), leaks);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c) && !c.isSynthetic()) {
                    String where = type.getName() + "#<init>";
                    checkAll(where, c.getGenericParameterTypes(), leaks);
                    checkAll(where, c.getGenericExceptionTypes(), leaks);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f) && !f.isSynthetic()) {
                    check(type.getName() + "." + f.getName(), f.getGenericType(), leaks);
                }
            }
        }
        assertThat(leaks).as("public signatures that mention internal types").isEmpty();
    }

    private static boolean visible(Member m) {
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }

    private static void checkAll(String where, Type[] types, List<String> leaks) {
        for (Type t : types) {
            check(where, t, leaks);
        }
    }

    private static void check(String where, Type type, List<String> leaks) {
        check(where, type, leaks, new HashSet<>());
    }

    private static void check(String where, Type type, List<String> leaks, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.getPackageName().contains(".internal")) {
                leaks.add(where + " mentions " + c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            check(where, p.getRawType(), leaks, seen);
            check(where, p.getOwnerType(), leaks, seen);
            for (Type a : p.getActualTypeArguments()) {
                check(where, a, leaks, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                check(where, b, leaks, seen);
            }
            for (Type b : w.getLowerBounds()) {
                check(where, b, leaks, seen);
            }
        } else if (type instanceof GenericArrayType g) {
            check(where, g.getGenericComponentType(), leaks, seen);
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                check(where, b, leaks, seen);
            }
        }
    }

    /** Public and protected (member) types of the public packages, from core's classes directory or jar. */
    private static List<Class<?>> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path location = Path.of(Broker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            for (String pkg : PUBLIC_PACKAGES) {
                Path dir = location.resolve(pkg.replace('.', '/'));
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".class"))
                            .forEach(f -> names.add(pkg + "." + f.substring(0, f.length() - ".class".length())));
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String entry = e.nextElement().getName();
                    int slash = entry.lastIndexOf('/');
                    if (entry.endsWith(".class") && slash > 0
                            && PUBLIC_PACKAGES.contains(entry.substring(0, slash).replace('/', '.'))) {
                        names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                    }
                }
            }
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            Class<?> c = Class.forName(name, false, ApiSurfaceTest.class.getClassLoader());
            if (exposed(c)) {
                types.add(c);
            }
        }
        return types;
    }

    private static boolean exposed(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> t = c; t != null; t = t.getDeclaringClass()) {
            int mod = t.getModifiers();
            boolean member = t.getDeclaringClass() != null;
            if (!Modifier.isPublic(mod) && !(member && Modifier.isProtected(mod))) {
                return false;
            }
        }
        return true;
    }
}
