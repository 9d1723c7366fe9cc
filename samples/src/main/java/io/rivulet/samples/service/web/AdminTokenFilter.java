package io.rivulet.samples.service.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Guards the admin API: a call under {@code /admin/} that changes data (any method but GET, HEAD and
 * OPTIONS), or that asks for dead-letter payloads ({@code ?payload=} anything but {@code false}), needs
 * {@code Authorization: Bearer <rivulet.admin.token>}. Without the header: 401; with a wrong token:
 * 403; when no token is configured every such call gets 403 (never open by default). Tokens are
 * compared in constant time and never logged.
 */
public final class AdminTokenFilter implements WebFilter {

    private static final Logger LOG = LoggerFactory.getLogger(AdminTokenFilter.class);
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    /** A filter accepting {@code token}; {@code null} refuses every guarded call. */
    public AdminTokenFilter(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!guarded(request)) {
            return chain.filter(exchange);
        }
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String call = request.getMethod() + " " + request.getPath().value();
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refuse(exchange, HttpStatus.UNAUTHORIZED,
                    call + " changes data: send the header 'Authorization: Bearer <token>' with the token of "
                            + "rivulet.admin.token (ADMIN_TOKEN)");
        }
        if (token == null) {
            LOG.warn("Refused admin call {}: no admin token is configured", call);
            return refuse(exchange, HttpStatus.FORBIDDEN,
                    "admin calls that change data are disabled: no rivulet.admin.token (ADMIN_TOKEN) is configured");
        }
        byte[] given = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(token, given)) {
            LOG.warn("Refused admin call {}: wrong bearer token", call);
            return refuse(exchange, HttpStatus.FORBIDDEN, "wrong admin token for " + call);
        }
        return chain.filter(exchange);
    }

    private static boolean guarded(ServerHttpRequest request) {
        if (!underAdmin(request.getPath().pathWithinApplication())) {
            return false;
        }
        HttpMethod m = request.getMethod();
        boolean reads = m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
        // Any value but "false" may bind to true ("1", "yes", "on"...): all of them need the token.
        List<String> payload = request.getQueryParams().get("payload");
        return !reads || payload != null && !payload.stream().allMatch("false"::equalsIgnoreCase);
    }

    // By the first non-empty segment as routing sees it (decoded, matrix parameters dropped), so that
    // "/admin;x=1/..." or "//admin/..." cannot slip past a plain prefix test.
    private static boolean underAdmin(PathContainer path) {
        for (PathContainer.Element e : path.elements()) {
            if (e instanceof PathContainer.PathSegment segment && !segment.valueToMatch().isEmpty()) {
                return segment.valueToMatch().equalsIgnoreCase("admin");
            }
        }
        return false;
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String message) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"rivulet-admin\"");
        }
        String body = "{\"status\":" + status.value() + ",\"error\":\"" + status.getReasonPhrase()
                + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }
}
