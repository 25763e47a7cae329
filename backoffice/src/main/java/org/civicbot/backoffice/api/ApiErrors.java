package org.civicbot.backoffice.api;

import org.civicbot.bot.conversation.StaffDesk;
import org.civicbot.bot.incident.IncidentDesk;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns what the desks refuse into problem details a person can act on. */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
class ApiErrors {

    @ExceptionHandler(StaffDesk.Conflict.class)
    ProblemDetail conflict(StaffDesk.Conflict e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Conversation owned by someone else");
        if (e.owner() != null) {
            problem.setProperty("owner", e.owner());
        }
        return problem;
    }

    @ExceptionHandler({StaffDesk.NotFound.class, IncidentDesk.NotFound.class})
    ProblemDetail notFound(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IncidentDesk.Refused.class)
    ProblemDetail refused(IncidentDesk.Refused e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Change refused");
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
