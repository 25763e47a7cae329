package org.civicbot.bot.engine;

import java.util.List;
import java.util.Optional;
import org.civicbot.flows.Language;
import org.civicbot.flows.RequestType;

/** Something a turn did, for the host to act on, in the order it happened. */
public sealed interface Event {

    /**
     * A message for the citizen, in their language. {@code options} are a menu's labels in order,
     * empty for plain text; {@code menu} names the node that asks ({@code flow/node}), so that a button
     * pressed later can be told apart from one of an older menu. The text may hold
     * {@value #INCIDENT_CODE}, which the host replaces with the code of the incident reported in the
     * same turn.
     */
    record MessageCreated(String text, List<String> options, String menu) implements Event {
        public static final String INCIDENT_CODE = "{incident.code}";

        public MessageCreated {
            options = List.copyOf(options);
        }

        public MessageCreated(String text, List<String> options) {
            this(text, options, null);
        }
    }

    /**
     * The citizen finished reporting an incident.
     *
     * @param ref the incident's id, derived from the turn id: the same turn gives the same ref
     * @param possibleDuplicateOf the code of an open incident nearby the citizen said is another problem, for staff
     *     to judge
     * @param type an incident, or a suggestion, a complaint, a question
     */
    record IncidentReported(String ref, String category, String description, Optional<Answer.Place> place,
            List<String> photoIds, Optional<String> possibleDuplicateOf, RequestType type) implements Event {
        public IncidentReported {
            photoIds = List.copyOf(photoIds);
        }
    }

    /**
     * The citizen said what they were reporting is incident {@code code}, already reported nearby: no new
     * incident; they become one of its reporters and follow it. {@code photoIds} are the photos they sent, added
     * to it.
     */
    record IncidentJoined(String code, List<String> photoIds) implements Event {
        public IncidentJoined {
            photoIds = List.copyOf(photoIds);
        }
    }

    /**
     * The citizen asked to follow incident {@code code} (every public step reaches them), or to stop following it;
     * the host does it and answers.
     */
    record FollowRequested(String code, boolean follow) implements Event {}

    /**
     * What the engine understood a sentence to mean, by target id ({@code main/appointment},
     * {@code incident/category=roads_pavements}, {@code command:status}): one when it acted on it, two or three
     * when it asked which one. For the record and the tests; the host does nothing with it.
     */
    record Understood(List<String> targets) implements Event {
        public Understood {
            targets = List.copyOf(targets);
        }
    }

    /**
     * The citizen asked how their requests are going; the host answers with them, in the session's language.
     *
     * @param code the incident code the citizen wrote, if any ({@code INC-2026-000123})
     */
    record StatusRequested(Optional<String> code) implements Event {}

    /**
     * More photos for the incident the citizen has just reported ({@code ref}, from an earlier turn): WhatsApp and
     * Telegram send each photo of a batch as its own message, and those after the first arrive once the report is
     * made.
     */
    record PhotosAdded(String ref, List<String> photoIds) implements Event {
        public PhotosAdded {
            photoIds = List.copyOf(photoIds);
        }
    }

    /**
     * The answer to a satisfaction question the host asked ({@code about} names what it was about), a score from 1
     * (worst) to 5.
     */
    record SatisfactionGiven(String about, int score) implements Event {}

    /** What the citizen wrote after their score, what could be better. */
    record SatisfactionCommented(String about, String comment) implements Event {}

    /** The contact wants the notices of {@code topic} in {@code area} (null: the whole town). */
    record Subscribed(String topic, String area) implements Event {}

    /** The contact no longer wants the notices of {@code topic} in {@code area}. */
    record Unsubscribed(String topic, String area) implements Event {}

    /** The contact wants no notices at all. */
    record UnsubscribedAll() implements Event {}

    /** The citizen asked for a person of {@code department}. */
    record HandoffRequested(String department) implements Event {}

    record LanguageChanged(Language language) implements Event {}

    record PrivacyNoticeShown() implements Event {}

    /** The citizen asked for no more messages. */
    record ContactOptedOut() implements Event {}

    /** A contact who had opted out wrote again. */
    record ContactOptedIn() implements Event {}
}
