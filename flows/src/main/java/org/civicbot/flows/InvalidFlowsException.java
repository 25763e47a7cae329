package org.civicbot.flows;

/** Thrown when flows that must run have errors; the message is the whole formatted report. */
public class InvalidFlowsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ValidationReport report;

    public InvalidFlowsException(ValidationReport report) {
        super(report.format());
        this.report = report;
    }

    public ValidationReport report() {
        return report;
    }
}
