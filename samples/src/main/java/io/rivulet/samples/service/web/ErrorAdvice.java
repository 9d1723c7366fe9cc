package io.rivulet.samples.service.web;

import io.rivulet.core.BrokerClosedException;
import io.rivulet.core.MessageTooLargeException;
import io.rivulet.core.QueueFullException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns Rivulet's errors into HTTP statuses with their message (which says what to do and never
 * quotes payloads), in the shape of Spring Boot's own error bodies.
 */
@RestControllerAdvice
public class ErrorAdvice {

    /** A bad topic name, limit or option: 400. */
    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException e) {
        return error(HttpStatus.BAD_REQUEST, e);
    }

    /** The broker is closed (the service is shutting down) or refused the message as full: 503. */
    @ExceptionHandler({BrokerClosedException.class, QueueFullException.class})
    public ResponseEntity<Map<String, Object>> unavailable(RuntimeException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, e);
    }

    /** The payload is over the broker's limit: 413. */
    @ExceptionHandler(MessageTooLargeException.class)
    public ResponseEntity<Map<String, Object>> tooLarge(MessageTooLargeException e) {
        return error(HttpStatus.CONTENT_TOO_LARGE, e);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, Exception e) {
        return ResponseEntity.status(status).body(Map.of(
                "status", status.value(),
                "error", status.getReasonPhrase(),
                "message", String.valueOf(e.getMessage())));
    }
}
