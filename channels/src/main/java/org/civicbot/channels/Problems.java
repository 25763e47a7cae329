package org.civicbot.channels;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** RFC 7807 problem responses shared by the provider webhooks and the device bridge. */
public final class Problems {

    private Problems() {}

    public static Mono<ServerResponse> respond(HttpStatus status, String title, String detail) {
        return respond(status, title, detail, Map.of(), new HttpHeaders());
    }

    public static Mono<ServerResponse> respond(HttpStatus status, String title, String detail,
            Map<String, Object> properties, HttpHeaders headers) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return ServerResponse.status(status)
                .headers(h -> h.addAll(headers))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }

    /** The answer when the message could not be stored: the provider should deliver it again later. */
    public static Mono<ServerResponse> storageUnavailable() {
        return respond(HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable",
                "The message could not be stored right now; deliver it again later.");
    }
}
