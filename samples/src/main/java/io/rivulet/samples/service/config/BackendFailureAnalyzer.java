package io.rivulet.samples.service.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link UnavailableBackendException} at startup as a short description and the action
 * to take, instead of a chain of bean-creation errors. Registered in {@code META-INF/spring.factories}.
 */
public final class BackendFailureAnalyzer extends AbstractFailureAnalyzer<UnavailableBackendException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, UnavailableBackendException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set RIVULET_BACKEND (or the property rivulet.backend) to one of: " + String.join(", ", cause.valid())
                        + ".", cause);
    }
}
