package io.rivulet.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A private CA, a server certificate for 127.0.0.1 and localhost, a client certificate for mutual
 * TLS, and an unrelated CA, generated with the machine's {@code openssl} in a fresh directory under
 * {@code target/} (nothing committed). Keys are unencrypted PKCS#8 PEM.
 */
final class TestCertificates {

    final Path dir;
    final Path caCertificate;
    final Path serverCertificate;
    final Path serverKey;
    final Path clientCertificate;
    final Path clientKey;
    /** A CA that signed nothing here: trusting only it must fail the handshake. */
    final Path otherCaCertificate;

    private TestCertificates(Path dir) {
        this.dir = dir;
        caCertificate = dir.resolve("ca.crt");
        serverCertificate = dir.resolve("server.crt");
        serverKey = dir.resolve("server.key");
        clientCertificate = dir.resolve("client.crt");
        clientKey = dir.resolve("client.key");
        otherCaCertificate = dir.resolve("other-ca.crt");
    }

    /** Generates everything; takes a second or so. */
    static TestCertificates generate() throws IOException, InterruptedException {
        Path dir = Path.of("target", "tls-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(dir);
        TestCertificates c = new TestCertificates(dir);
        c.selfSigned("ca", "Rivulet Test CA");
        c.selfSigned("other-ca", "Rivulet Unrelated CA");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "extendedKeyUsage=serverAuth\n", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n", StandardCharsets.US_ASCII);
        c.signed("server", "localhost");
        c.signed("client", "rivulet-test-client");
        return c;
    }

    private void selfSigned(String name, String cn) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                "-keyout", name + ".key", "-out", name + ".crt");
    }

    private void signed(String name, String cn) throws IOException, InterruptedException {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn, "-keyout", name + ".key",
                "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl " + args[0] + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
                    + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
