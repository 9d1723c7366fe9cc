package io.rivulet.samples.service.config;

import java.util.List;

/**
 * {@code rivulet.backend} names a backend this build does not offer. Its message names the option,
 * the value and the valid values; {@link BackendFailureAnalyzer} turns it into Spring Boot's
 * "APPLICATION FAILED TO START" report.
 */
public final class UnavailableBackendException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> valid;

    UnavailableBackendException(String message, List<String> valid) {
        super(message);
        this.valid = List.copyOf(valid);
    }

    /** The backends this build offers. */
    public List<String> valid() {
        return valid;
    }
}
