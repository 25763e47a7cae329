package org.civicbot.backoffice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What failed, for the log: the exception classes of the causal chain and where each was thrown, never their
 * messages, which may quote a stored document, a citizen's message or a phone number.
 */
public final class Failures {

    private static final int MAX_CAUSES = 5;
    private static final int TOP_FRAMES = 3;

    private Failures() {}

    /**
     * For example {@code java.lang.IllegalArgumentException at java.lang.Enum.valueOf(Enum.java:273) < ...
     * (in org.civicbot...IncidentApi.byCode(IncidentApi.java:90)); caused by ...}: the top frames of each
     * exception, and our first frame when it is further down.
     */
    public static String describe(Throwable failure) {
        List<String> parts = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && parts.size() < MAX_CAUSES && seen.add(t); t = t.getCause()) {
            StringBuilder part = new StringBuilder(t.getClass().getName());
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(TOP_FRAMES, frames.length); i++) {
                part.append(i == 0 ? " at " : " < ").append(frames[i]);
            }
            for (int i = TOP_FRAMES; i < frames.length; i++) {
                if (frames[i].getClassName().startsWith("org.civicbot.")) {
                    part.append(" (in ").append(frames[i]).append(')');
                    break;
                }
            }
            parts.add(part.toString());
        }
        return String.join("; caused by ", parts);
    }
}
