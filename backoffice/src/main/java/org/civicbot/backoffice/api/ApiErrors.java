package org.civicbot.backoffice.api;

import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.Failures;
import org.civicbot.bot.conversation.StaffDesk;
import org.civicbot.bot.announcement.Catalogue;
import org.civicbot.bot.incident.Drafts;
import org.civicbot.bot.incident.IncidentDesk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Every error answer of the JSON API, as a problem detail. What the client can act on keeps its words: the
 * desks' refusals, the validation messages we write, Spring's client errors. Anything else (a bug, a store
 * outage, data the code cannot read) answers 500 with a generic message: an exception's text may quote a
 * stored document, a citizen's message or a phone number, so it never leaves the server, and the log gets
 * the exception without its messages.
 */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
// Before Boot's problem-details advice, which would answer a 5xx with the exception's reason.
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    static final String INTERNAL = "Something went wrong on our side. It has been logged; try again later, and "
            + "tell an administrator if it goes on.";

    @ExceptionHandler(StaffDesk.Conflict.class)
    ProblemDetail conflict(StaffDesk.Conflict e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Conversation owned by someone else");
        if (e.owner() != null) {
            problem.setProperty("owner", e.owner());
        }
        return problem;
    }

    @ExceptionHandler(StaffDesk.OutsideWindow.class)
    ProblemDetail outsideWindow(StaffDesk.OutsideWindow e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Outside WhatsApp's 24-hour window");
        problem.setProperty("reason", "whatsapp-window-closed");
        problem.setProperty("windowClosedAt", e.closedAt().toString());
        return problem;
    }

    @ExceptionHandler({StaffDesk.NotFound.class, IncidentDesk.NotFound.class,
            org.civicbot.backoffice.open311.Open311Clients.Unknown.class,
            org.civicbot.backoffice.activity.Activities.NotFound.class})
    ProblemDetail notFound(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** Input that names something that is not there or breaks a rule of its own: the message says what to change. */
    @ExceptionHandler({org.civicbot.backoffice.staff.Assignments.Unknown.class, Catalogue.Invalid.class,
            Drafts.Invalid.class, org.civicbot.bot.incident.Categories.Invalid.class, IncidentDesk.Invalid.class,
            org.civicbot.bot.incident.Rules.Invalid.class, org.civicbot.bot.incident.AnswerTemplates.Invalid.class,
            org.civicbot.backoffice.open311.Open311Clients.Invalid.class,
            org.civicbot.backoffice.activity.Activities.Invalid.class})
    ProblemDetail invalid(RuntimeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Refused");
        return problem;
    }

    @ExceptionHandler(IncidentDesk.Refused.class)
    ProblemDetail refused(IncidentDesk.Refused e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Change refused");
        return problem;
    }

    /** Everything else: Spring's and our client errors as they are, any other failure as a generic 500. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> problem(Exception e, ServerWebExchange exchange) {
        if (e instanceof ErrorResponse answer && answer.getStatusCode().is4xxClientError()) {
            ProblemDetail problem = answer.getBody();
            if (e instanceof WebExchangeBindException invalid) {
                List<Map<String, String>> errors = invalid.getFieldErrors().stream()
                        .map(error -> Map.of("field", error.getField(), "message",
                                String.valueOf(error.getDefaultMessage())))
                        .toList();
                problem.setDetail("Invalid fields: " + String.join(", ", invalid.getFieldErrors().stream()
                        .map(error -> error.getField()).distinct().sorted().toList()) + ".");
                problem.setProperty("errors", errors);
            }
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        log.error("{} {} failed: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().pathWithinApplication().value(), Failures.describe(e));
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL));
    }
}
