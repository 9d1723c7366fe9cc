package io.rivulet.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link BatchHandler} reports about a batch: every message ok, or some failed with their
 * errors. Messages not named as failed are acked; failed ones go through the retry policy one by one.
 * Ids not in the batch are ignored. Immutable.
 */
public final class BatchResult {

    private static final BatchResult ALL_OK = new BatchResult(Map.of());

    private final Map<String, Throwable> failures;

    private BatchResult(Map<String, Throwable> failures) {
        this.failures = failures;
    }

    /** Every message of the batch succeeded. */
    public static BatchResult allOk() {
        return ALL_OK;
    }

    /** The message with {@code id} failed with {@code error}; the rest succeeded. */
    public static BatchResult failed(String id, Throwable error) {
        return failed(Map.of(Objects.requireNonNull(id, "id"), Objects.requireNonNull(error, "error")));
    }

    /** The messages whose ids are keys failed with the mapped errors; the rest succeeded. */
    public static BatchResult failed(Map<String, ? extends Throwable> failures) {
        Objects.requireNonNull(failures, "failures");
        Map<String, Throwable> copy = new LinkedHashMap<>();
        failures.forEach((id, error) -> copy.put(Objects.requireNonNull(id, "failures id"),
                Objects.requireNonNull(error, "failures error for " + id)));
        return copy.isEmpty() ? ALL_OK : new BatchResult(Collections.unmodifiableMap(copy));
    }

    /** Whether no message failed. */
    public boolean isAllOk() {
        return failures.isEmpty();
    }

    /** The failed messages' ids and errors; empty when all succeeded. */
    public Map<String, Throwable> failures() {
        return failures;
    }

    /** The error of message {@code id}, or {@code null} if it succeeded. */
    public Throwable errorOf(String id) {
        return failures.get(id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchResult r && failures.equals(r.failures);
    }

    @Override
    public int hashCode() {
        return failures.hashCode();
    }

    @Override
    public String toString() {
        return isAllOk() ? "BatchResult{allOk}" : "BatchResult{failed=" + failures.keySet() + "}";
    }
}
