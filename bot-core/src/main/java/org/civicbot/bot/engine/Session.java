package org.civicbot.bot.engine;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicbot.flows.Language;

/**
 * Where one contact's conversation with the bot stands: the node it waits at, what was collected so
 * far, and what the engine must remember about the contact (language, notice shown, opted out).
 *
 * @param flowId the flow of the node it waits at; null before the first turn
 * @param nodeId the node it waits at; null when not waiting
 * @param state why it is or is not waiting
 * @param vars the answers collected in this run of the flow, by variable name
 * @param language the language the contact reads
 * @param privacyNoticeShown whether the contact's first contact is over: the first-contact notice, when the
 *     flows have one, was shown
 * @param optedOut whether the contact asked for no more messages
 * @param retries how many answers in a row did not fit the current node
 * @param offered the targets a clarifying question just offered ("did you mean..."), in the order shown;
 *     the next answer may pick one of them, and any other answer forgets them
 * @param offeredFor the sentence that question was about, kept for the target picked (a description)
 * @param ahead the variables answered before their question was asked (a photo sent first, a sentence that
 *     described the problem): their question is skipped once, when the flow reaches it
 * @param lastReport the incident the contact reported last, for the photos of a batch that arrive after it
 * @param proposed the place the map found for an address typed at the location question being asked, waiting
 *     for the citizen to say yes or no
 * @param duplicate an open incident nearby, of the same category, that the report being finished may be; the
 *     session waits at the incident node for the citizen to say whether it is the same problem
 * @param survey a satisfaction question the host sent, waiting for its answer (the next message, if it is one)
 */
public record Session(String flowId, String nodeId, State state, Map<String, Answer> vars, Language language,
        boolean privacyNoticeShown, boolean optedOut, int retries, List<String> offered, String offeredFor,
        Set<String> ahead, LastReport lastReport, Proposal proposed, Found.Incident duplicate, Survey survey) {

    /**
     * An incident the contact has just reported.
     *
     * @param ref the incident's ref (its id)
     * @param at when the turn that reported it happened
     * @param photos how many photos it has
     */
    public record LastReport(String ref, java.time.Instant at, int photos) {}

    /**
     * A satisfaction question the host asked.
     *
     * @param about what it is about ({@code incident:INC-2026-000123}, {@code chat:<conversation>:<n>})
     * @param scored whether the score came, and an optional comment may follow
     */
    public record Survey(String about, boolean scored) {}

    /**
     * A typed address and what the map made of it, for the location question that waits for it.
     *
     * @param var the location question's variable
     * @param written what the citizen typed
     * @param place where the map puts it; null after the citizen said it is not there
     * @param rejected how many of the map's places the citizen said no to at this question
     */
    public record Proposal(String var, String written, Answer.Place place, int rejected) {}

    public Session {
        vars = Map.copyOf(vars);
        offered = offered == null ? List.of() : List.copyOf(offered);
        ahead = ahead == null ? Set.of() : Set.copyOf(ahead);
    }

    public Session(String flowId, String nodeId, State state, Map<String, Answer> vars, Language language,
            boolean privacyNoticeShown, boolean optedOut, int retries) {
        this(flowId, nodeId, state, vars, language, privacyNoticeShown, optedOut, retries, List.of(), null, Set.of(),
                null, null, null, null);
    }

    /** A contact who never wrote, reading {@code language}. */
    public static Session fresh(Language language) {
        return new Session(null, null, State.IDLE, Map.of(), language, false, false, 0);
    }

    /** This fresh session keeping what {@code other} knows of the contact (language, notice, opt-out). */
    public Session withContactFacts(Session other) {
        return new Session(flowId, nodeId, state, vars, other.language, other.privacyNoticeShown, other.optedOut,
                retries);
    }

    public enum State {
        /** Not inside a flow: the next message starts at the main menu. */
        IDLE,
        /** Waiting at a node for the citizen's answer. */
        WAITING,
        /** Waiting for a person: the host gives the conversation to staff and stops calling the engine. */
        HANDED_OFF
    }

    public Optional<Answer> var(String name) {
        return Optional.ofNullable(vars.get(name));
    }

    /**
     * Waiting at a node; a question asked again at the same node keeps what it had pending (a place proposed, an
     * incident that may be the same problem), and any other node starts without.
     */
    Session waitingAt(String flow, String node) {
        boolean same = flow.equals(flowId) && node.equals(nodeId);
        return new Session(flow, node, State.WAITING, vars, language, privacyNoticeShown, optedOut, 0, List.of(), null,
                ahead, lastReport, same ? proposed : null, same ? duplicate : null, survey);
    }

    Session handedOffAt(String flow, String node) {
        return new Session(flow, node, State.HANDED_OFF, vars, language, privacyNoticeShown, optedOut, 0, List.of(),
                null, ahead, lastReport, null, null, survey);
    }

    Session idle() {
        return new Session(null, null, State.IDLE, Map.of(), language, privacyNoticeShown, optedOut, 0, List.of(), null,
                Set.of(), lastReport, null, null, survey);
    }

    Session withVar(String name, Answer answer) {
        Map<String, Answer> next = new LinkedHashMap<>(vars);
        next.put(name, answer);
        return new Session(flowId, nodeId, state, next, language, privacyNoticeShown, optedOut, retries, offered,
                offeredFor, ahead, lastReport, proposed, duplicate, survey);
    }

    Session withoutVar(String name) {
        Map<String, Answer> next = new LinkedHashMap<>(vars);
        next.remove(name);
        return new Session(flowId, nodeId, state, next, language, privacyNoticeShown, optedOut, retries, offered,
                offeredFor, ahead, lastReport, proposed, duplicate, survey);
    }

    /** This session with {@code name} answered before its question: the question will be skipped once. */
    Session withVarAhead(String name, Answer answer) {
        Set<String> next = new LinkedHashSet<>(ahead);
        next.add(name);
        Session withVar = withVar(name, answer);
        return new Session(flowId, nodeId, state, withVar.vars, language, privacyNoticeShown, optedOut, retries,
                offered, offeredFor, next, lastReport, proposed, duplicate, survey);
    }

    /** This session with the question of {@code name} skipped: the next time it is asked. */
    Session withoutAhead(String name) {
        Set<String> next = new LinkedHashSet<>(ahead);
        next.remove(name);
        return new Session(flowId, nodeId, state, vars, language, privacyNoticeShown, optedOut, retries, offered,
                offeredFor, next, lastReport, proposed, duplicate, survey);
    }

    Session withoutVars() {
        return new Session(flowId, nodeId, state, Map.of(), language, privacyNoticeShown, optedOut, retries, offered,
                offeredFor, Set.of(), lastReport, null, null, survey);
    }

    Session withLanguage(Language value) {
        return new Session(flowId, nodeId, state, vars, value, privacyNoticeShown, optedOut, retries, offered,
                offeredFor, ahead, lastReport, proposed, duplicate, survey);
    }

    /**
     * The session of a contact who must read the first-contact notice again (the privacy terms changed since they
     * read it): the engine shows it at the conversation's next start.
     */
    public Session withNoticeToShowAgain() {
        return new Session(flowId, nodeId, state, vars, language, false, optedOut, retries, offered, offeredFor, ahead,
                lastReport, proposed, duplicate, survey);
    }

    Session withNoticeShown() {
        return new Session(flowId, nodeId, state, vars, language, true, optedOut, retries, offered, offeredFor, ahead,
                lastReport, proposed, duplicate, survey);
    }

    Session withOptedOut(boolean value) {
        return new Session(flowId, nodeId, state, vars, language, privacyNoticeShown, value, retries, offered,
                offeredFor, ahead, lastReport, proposed, duplicate, survey);
    }

    Session withRetries(int count) {
        return new Session(flowId, nodeId, state, vars, language, privacyNoticeShown, optedOut, count, offered,
                offeredFor, ahead, lastReport, proposed, duplicate, survey);
    }

    Session withLastReport(LastReport report) {
        return new Session(flowId, nodeId, state, vars, language, privacyNoticeShown, optedOut, retries, offered,
                offeredFor, ahead, report, proposed, duplicate, survey);
    }

    Session withOffered(List<String> targets, String sentence) {
        return new Session(flowId, nodeId, state, vars, language, privacyNoticeShown, optedOut, retries, targets,
                sentence, ahead, lastReport, proposed, duplicate, survey);
    }

    Session withProposal(Proposal value) {
        return new Session(flowId, nodeId, state, vars, language, privacyNoticeShown, optedOut, retries, offered,
                offeredFor, ahead, lastReport, value, duplicate, survey);
    }

    Session withDuplicate(Found.Incident value) {
        return new Session(flowId, nodeId, state, vars, language, privacyNoticeShown, optedOut, retries, offered,
                offeredFor, ahead, lastReport, proposed, value, survey);
    }

    /** This session with a satisfaction question pending (the host asked it), or none. */
    public Session withSurvey(Survey value) {
        return new Session(flowId, nodeId, state, vars, language, privacyNoticeShown, optedOut, retries, offered,
                offeredFor, ahead, lastReport, proposed, duplicate, value);
    }
}
