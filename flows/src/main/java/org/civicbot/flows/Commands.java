package org.civicbot.flows;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Words a citizen may write at any point, in any language, and the texts the engine says on its own.
 *
 * @param restart words that go back to the main menu ("hola", "menu", "inici"...)
 * @param human words that ask for a person
 * @param stop words that opt the contact out of messages
 * @param skip words that skip an optional step (the photo)
 * @param status words that ask how one's requests are going ("estat")
 * @param yes words that answer a yes-or-no question yes ("sí", "correcte"); the first in each language is the
 *     button's label
 * @param no words that answer it no
 * @param follow words that, with an incident's code, follow it ("seguir INC-2026-000123")
 * @param unfollow words that, with a code, stop following it ("deixar de seguir INC-2026-000123")
 * @param satisfactionScale the answers to the satisfaction question, worst first, {@value #SATISFACTION_POINTS}
 *     in each language: the buttons' labels, and the score is the position (1 to 5)
 * @param examples phrases that say a command in a sentence, by command ("vull parlar amb una persona")
 * @param languageNames the ways to name each language, by the language named ("castellano", "Spanish" under es)
 * @param texts what the engine says when it needs to
 * @param notices what the platform tells a citizen on its own: queue notices and every step of their requests
 * @param appointments the words of an {@code appointments} node; null when the flows have none
 */
public record Commands(LocalizedWords restart, LocalizedWords human, LocalizedWords stop, LocalizedWords skip,
        LocalizedWords status, LocalizedWords yes, LocalizedWords no, LocalizedWords follow,
        LocalizedWords unfollow, LocalizedWords satisfactionScale, Map<Command, LocalizedWords> examples, LocalizedWords languageNames,
        SystemTexts texts, NoticeTexts notices, AppointmentTexts appointments) {

    /** How many answers the satisfaction question has: a score from 1 to 5. */
    public static final int SATISFACTION_POINTS = 5;

    public Commands {
        EnumMap<Command, LocalizedWords> copy = new EnumMap<>(Command.class);
        copy.putAll(examples);
        examples = Map.copyOf(copy);
    }

    /** The exact words of a command; thanks, greetings and language requests have examples only. */
    public LocalizedWords words(Command command) {
        return switch (command) {
            case HUMAN -> human;
            case STATUS -> status;
            case STOP -> stop;
            case RESTART -> restart;
            case THANKS, GREETING, LANGUAGE, OUT_OF_SCOPE -> LocalizedWords.NONE;
        };
    }

    public LocalizedWords examples(Command command) {
        return examples.getOrDefault(command, LocalizedWords.NONE);
    }

    /**
     * Texts the engine says on its own.
     *
     * @param notUnderstood re-prompt when an answer matches no option
     * @param tooShort a text answer under the minimum length; may use {@code {min}}
     * @param tooLong a text answer over the maximum length; may use {@code {max}}
     * @param locationExpected a location step got something else
     * @param photoExpected a photo step got something else
     * @param optedOut confirmation of the stop command
     * @param humanRequested said when the citizen is handed to a person
     * @param humanDepartment the department a "person" command asks for
     * @param thanks the answer to thanks and acknowledgements
     * @param greeting the answer to a greeting in the middle of an errand, before its question again
     * @param canHelpWith what the bot can help with, said instead of "not understood" at the main menu
     * @param didYouMean the question that offers the two or three services a sentence may mean
     * @param handoffWarning added to the second misunderstanding in a row: the next one brings a person
     * @param languageChanged said in the new language when a sentence asks for it
     * @param statusNone the answer to a status question from a contact with no requests
     * @param statusList the first line of the list of a contact's requests
     * @param statusLine a request, for someone who did not report it; may use {@code {code}}, {@code {status}},
     *     {@code {date}}
     * @param statusOwnLine a request, for whoever reported it: also {@code {url}}, its public status page
     * @param statusDetail the answer about one request asked for by its code, for someone who did not report it:
     *     {@code {code}}, {@code {category}}, {@code {status}}, {@code {update}} (the latest public update) and
     *     {@code {date}} (its date)
     * @param statusOwnDetail the same for whoever reported it: also {@code {description}}, {@code {address}},
     *     {@code {photos}} (how many) and {@code {url}}
     * @param statusNew the name of the status NEW in a status line
     * @param statusInProgress the name of the status IN_PROGRESS
     * @param statusClosed the name of the status CLOSED; may use {@code {outcome}}
     * @param statusUnknown the answer to a status question about a code no request has; may use {@code {code}}
     * @param photoAdded a photo sent just after a report was made, added to it; may use {@code {incident.code}}
     * @param photosFull a photo for a report that has all it may have; may use {@code {incident.code}}, {@code {max}}
     * @param locationOutside a location pin outside the municipality, refused
     * @param locationConfirm asks whether the place the geocoder found for a typed address is the right one, with
     *     yes and no buttons: {@code {address}} as the map names it, {@code {map}} a link to it on a map
     * @param unsupported the answer to what the bot cannot take (a voice note, a video, a sticker, a document)
     * @param statusFollow added to {@code statusDetail} for an open request the contact neither reported nor
     *     follows: how to follow it ({@code {code}})
     * @param followWhich the follow words without a code: how to follow one
     * @param followStarted the contact now follows a request: {@code {code}}
     * @param followStopped the contact no longer follows it: {@code {code}}
     * @param followClosed a closed request cannot be followed: {@code {code}}
     * @param duplicateQuestion whether the report being finished is an open incident nearby: {@code {code}},
     *     {@code {date}}, {@code {address}}, {@code {status}}
     * @param duplicateYes the button that says it is the same
     * @param duplicateNo the button that says it is another problem
     * @param duplicateJoined said when the citizen joins that incident: {@code {incident.code}}
     * @param satisfactionThanks the answer to a satisfaction score, inviting an optional comment
     * @param satisfactionComment the answer to that comment
     * @param noticesMenu a {@code notices} node's question: {@code {list}}, the contact's subscriptions
     * @param noticesNone what {@code {list}} says when there are none
     * @param noticesLine one subscription in {@code {list}}: {@code {topic}}, {@code {area}}
     * @param noticesAdd the option that adds one
     * @param noticesRemove the option that removes one
     * @param noticesRemoveAll the option that removes them all
     * @param noticesBack the option that goes on without changes
     * @param noticesTopic which topic
     * @param noticesArea which area: a name, the whole town, or a location pin
     * @param noticesWholeTown the whole town, as an area
     * @param noticesWhich which subscription to remove
     * @param noticesAdded said once subscribed: {@code {topic}}, {@code {area}}
     * @param noticesRemoved said once one is removed: {@code {topic}}, {@code {area}}
     * @param noticesRemovedAll said once all are removed
     * @param understood said when a sentence chose an option whose next question does not show it (an incident
     *     category); may use {@code {choice}}, the option's label
     * @param flowChanged said to a citizen whose conversation stood on a question that a publish removed, before the
     *     main menu again; optional (null: the menu alone)
     * @param liveStale said under a live source's items when its last read failed: they are the last good ones, of
     *     {@code {date}}; needed by flows with news, agenda or pharmacies nodes (null otherwise)
     * @param liveUnavailable said instead of a live source's items when it has never been read, or has no items
     *     and its last read failed; needed with {@code liveStale}
     * @param locationPhoto asks whether the place a photo says it was taken at is the report's ({@code {map}},
     *     {@code {address}}: its coordinates); optional (null: {@code locationConfirm} asks)
     */
    public record SystemTexts(LocalizedText notUnderstood, LocalizedText tooShort, LocalizedText tooLong,
            LocalizedText locationExpected, LocalizedText photoExpected, LocalizedText optedOut,
            LocalizedText humanRequested, String humanDepartment, LocalizedText thanks, LocalizedText greeting,
            LocalizedText canHelpWith, LocalizedText didYouMean, LocalizedText handoffWarning,
            LocalizedText languageChanged, LocalizedText statusNone, LocalizedText statusList,
            LocalizedText statusLine, LocalizedText statusOwnLine, LocalizedText statusDetail,
            LocalizedText statusOwnDetail, LocalizedText statusNew, LocalizedText statusInProgress,
            LocalizedText statusClosed, LocalizedText statusUnknown, LocalizedText photoAdded, LocalizedText photosFull,
            LocalizedText locationOutside, LocalizedText locationConfirm, LocalizedText unsupported,
            LocalizedText statusFollow, LocalizedText followWhich, LocalizedText followStarted, LocalizedText followStopped,
            LocalizedText followClosed, LocalizedText duplicateQuestion, LocalizedText duplicateYes,
            LocalizedText duplicateNo, LocalizedText duplicateJoined, LocalizedText satisfactionThanks,
            LocalizedText satisfactionComment, LocalizedText noticesMenu, LocalizedText noticesNone,
            LocalizedText noticesLine, LocalizedText noticesAdd, LocalizedText noticesRemove,
            LocalizedText noticesRemoveAll, LocalizedText noticesBack, LocalizedText noticesTopic,
            LocalizedText noticesArea, LocalizedText noticesWholeTown, LocalizedText noticesWhich,
            LocalizedText noticesAdded, LocalizedText noticesRemoved, LocalizedText noticesRemovedAll,
            LocalizedText understood, LocalizedText flowChanged, LocalizedText liveStale,
            LocalizedText liveUnavailable, LocalizedText locationPhoto) {}

    /**
     * Texts the platform sends a citizen on its own, outside a turn: the queue for a person, and each step of an
     * incident they reported. Placeholders: {@code {code}} the incident's code, {@code {url}} its public status
     * page, {@code {outcome}} one of the outcome texts, {@code {note}} and {@code {text}} what staff wrote for the
     * citizen, {@code {when}} the next opening; {@code incidentRegistered} tells the citizen staff registered the
     * incident from what they had told the bot; {@code satisfactionIncident} ({@code {code}}) and
     * {@code satisfactionChat} ask how satisfied they are, once an incident they reported is closed and once staff
     * close their conversation; {@code requestIncident} and {@code requestOther} are what {@code {request}} says in
     * them, for an incident and for a suggestion, complaint or question; {@code announcement} frames what staff
     * announce to a topic's subscribers ({@code {topic}}, {@code {text}}) ({@code when}: {@code {day}} and {@code {time}});
     * {@code incidentMerged} tells a reporter staff found their request is the same problem as another one
     * ({@code {into}}, whose public page {@code {url}} is), which they now follow.
     */
    public record NoticeTexts(LocalizedText queueWait, LocalizedText queueClosed, LocalizedText when,
            LocalizedText incidentInProgress, LocalizedText incidentAssigned, LocalizedText incidentUpdate,
            LocalizedText incidentClosed, LocalizedText incidentClosedNote, LocalizedText incidentReopened,
            LocalizedText incidentRegistered, LocalizedText satisfactionIncident, LocalizedText satisfactionChat,
            LocalizedText outcomePositive, LocalizedText outcomeNegative, LocalizedText outcomeNotOurCompetence,
            LocalizedText outcomeSuspended, LocalizedText outcomeDuplicate, LocalizedText outcomeImproper,
            LocalizedText incidentMerged, LocalizedText requestIncident, LocalizedText requestOther,
            LocalizedText announcement, PageTexts page) {}

    /**
     * The words of the appointments node ({@code commands.appointments}), by their names in {@link #KEYS}: its
     * questions, its options' labels and what it says when a booking is made, moved or cancelled. Placeholders:
     * {@code menu} {@code {list}}; {@code line} {@code {code} {service} {date} {time} {office}}; {@code confirm}
     * {@code {service} {office} {address} {date} {time} {name}}; {@code booked} the same and {@code {code} {bring}};
     * {@code moved} {@code {code} {date} {time} {office}}; {@code manage} {@code {appointment}};
     * {@code cancel_confirm} and {@code cancelled} {@code {code}}; {@code reminder} (sent the day before)
     * {@code {code} {service} {date} {time} {office} {address}}; {@code cancelled_by_town} (staff cancelled it)
     * {@code {code} {service} {date} {time} {office} {message}}.
     */
    public record AppointmentTexts(Map<String, LocalizedText> texts) {

        public static final List<String> KEYS = List.of("menu", "none", "line", "book", "change", "back", "service",
                "no_services", "office", "day", "no_days", "period", "time", "name", "confirm", "booked", "full",
                "which", "manage", "move", "cancel", "cancel_confirm", "cancelled", "moved", "reminder", "coming",
                "see_you", "cancelled_by_town");

        public AppointmentTexts {
            texts = Map.copyOf(texts);
        }

        public LocalizedText get(String key) {
            LocalizedText text = texts.get(key);
            if (text == null) {
                throw new IllegalArgumentException("not an appointments text: " + key);
            }
            return text;
        }
    }

    /**
     * The words of an incident's public status page ({@code /s/<token>}): its title ({@code {code}}), the steps
     * of its progress, the names of its public updates ({@code {outcome}} on closing), and its notes.
     */
    public record PageTexts(LocalizedText title, LocalizedText intro, LocalizedText stepReceived,
            LocalizedText stepInProgress, LocalizedText stepClosed, LocalizedText updates, LocalizedText received,
            LocalizedText inProgress, LocalizedText assigned, LocalizedText closed, LocalizedText reopened,
            LocalizedText privacy, LocalizedText notFound) {}
}
