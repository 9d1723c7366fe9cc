package io.rivulet.samples.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.TestPropertySource;

/**
 * The service's contract on the real RabbitMQ at 127.0.0.1:5672 (guest/guest). The service's queues
 * have fixed names, so the run gets a virtual host of its own (made with {@code rabbitmqctl}, which
 * must be on the PATH with the rights to manage the local node); after the class the service is
 * stopped ({@code @DirtiesContext}) and then the virtual host, with every queue in it, is deleted.
 */
@TestPropertySource(properties = "rivulet.backend=rabbit")
@DirtiesContext
@TestExecutionListeners(listeners = RabbitServiceTest.DeleteVirtualHost.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class RabbitServiceTest extends ServiceContractTest {

    static final String VHOST = "rivulet-svc-test-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void virtualHost(DynamicPropertyRegistry registry) {
        rabbitmqctl("add_vhost", VHOST);
        rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
        registry.add("rivulet.rabbit.uri", () -> "amqp://guest:guest@127.0.0.1:5672/" + VHOST);
    }

    /** Deletes the run's virtual host once the application is closed (runs after {@code @DirtiesContext}). */
    static final class DeleteVirtualHost implements TestExecutionListener, Ordered {
        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void afterTestClass(TestContext testContext) {
            rabbitmqctl("delete_vhost", VHOST);
        }
    }

    static void rabbitmqctl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (is RabbitMQ running on this "
                        + "machine, and rabbitmqctl on the PATH with the rights to manage it?): " + out.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run rabbitmqctl (RabbitServiceTest needs it to make a virtual host)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }
}
