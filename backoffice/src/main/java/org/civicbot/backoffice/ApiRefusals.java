package org.civicbot.backoffice;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the API turns away a request it does not let in: an RFC 7807 problem, and never a
 * {@code WWW-Authenticate: Basic} challenge. A challenge makes a browser ask for a password and then send it
 * with every request to us, cross-site ones included, and a request that brings Basic credentials skips
 * CSRF. Scripts send their credentials up front ({@code curl -u}) and need no challenge.
 */
final class ApiRefusals {

    static final String UNAUTHORIZED = "Send a staff user's credentials with HTTP Basic (curl -u name:password), "
            + "or sign in to the back-office and use its session.";
    static final String FORBIDDEN = "This staff user may not do this.";
    static final String NO_CSRF_TOKEN = "A change needs HTTP Basic credentials (curl -u name:password), or the "
            + "back-office session with its CSRF token.";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiRefusals() {}

    static Mono<Void> unauthorized(ServerWebExchange exchange) {
        return write(exchange, HttpStatus.UNAUTHORIZED, UNAUTHORIZED);
    }

    static Mono<Void> forbidden(ServerWebExchange exchange, String detail) {
        return write(exchange, HttpStatus.FORBIDDEN, detail);
    }

    private static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", exchange.getRequest().getPath().pathWithinApplication().value());
        byte[] body = JSON.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
