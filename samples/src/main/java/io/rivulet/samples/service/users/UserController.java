package io.rivulet.samples.service.users;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** {@code POST /users} (publishes {@code user.registered}) and {@code GET /users/{id}/preferences}. */
@RestController
public class UserController {

    private final UserService users;

    /** A controller over {@code users}. */
    public UserController(UserService users) {
        this.users = users;
    }

    /**
     * What {@code POST /users} takes.
     *
     * @param name the user's name
     * @param email the user's e-mail address
     */
    public record Register(String name, String email) {
    }

    /** Registers a user: 202 with {@code {"id": ...}}; 400 without a name or a plausible e-mail. */
    @PostMapping("/users")
    public Mono<ResponseEntity<Map<String, String>>> register(@RequestBody Register request) {
        if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "name must be 1 to 200 characters");
        }
        if (request.email() == null || !request.email().matches("[^@\\s]{1,64}@[^@\\s]{1,190}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "email must look like name@example.com");
        }
        return users.register(request.name(), request.email())
                .map(id -> ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", id)));
    }

    /** The user's preferences once the {@code user-preferences} subscriber created them; 404 before. */
    @GetMapping("/users/{id}/preferences")
    public Map<String, Object> preferences(@PathVariable String id) {
        return users.preferences(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no preferences for user " + id + " (yet)"));
    }
}
