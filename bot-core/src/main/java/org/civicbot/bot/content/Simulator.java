package org.civicbot.bot.content;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.civicbot.bot.engine.Found;
import org.civicbot.bot.engine.Lookup;
import org.civicbot.bot.engine.Engine;
import org.civicbot.bot.engine.Event;
import org.civicbot.bot.engine.Input;
import org.civicbot.bot.engine.Session;
import org.civicbot.bot.engine.Turn;
import org.civicbot.bot.engine.TurnContext;
import reactor.core.publisher.Mono;

/**
 * Runs a turn of the real engine for a preview: the same flows, the same understanding, nothing sent and nothing
 * done. What the host would do with the turn's events (file an incident, pass the chat to a person, subscribe) is
 * named, not done; lookups (a typed address, incidents nearby, the citizen's notices) are answered as a host that
 * cannot look anything up would, so the preview shows the flows' own fallbacks. Live sources (news, agenda,
 * pharmacies) are read when the caller gives a way to, since reading them changes nothing.
 */
public final class Simulator {

    /** Lookups one preview turn may make before the rest are answered as a host that cannot look up would. */
    private static final int MAX_LOOKUPS = 8;

    private Simulator() {}

    /** A message the bot would send: its text and, for a menu, its options (numbered on WhatsApp, buttons on Telegram). */
    public record Reply(String text, List<String> options, String menu) {}

    /**
     * Something the host would do.
     *
     * @param type the event's name ({@code IncidentReported}, {@code HandoffRequested}, ...)
     * @param detail what it concerns (a category, a department, a code), when there is one
     */
    public record Action(String type, String detail) {}

    /** The session after the turn, what the bot would say, and what would be done. */
    public record Step(Session session, List<Reply> replies, List<Action> actions) {}

    /** One turn of {@code input} in {@code session}, on {@code engine}'s flows, at {@code now}. */
    public static Step step(Engine engine, Session session, Input input, Instant now) {
        return step(engine.resume(session, input, new TurnContext("preview-" + UUID.randomUUID(), now)
                .withoutLookups()), now);
    }

    /**
     * One turn as {@link #step(Engine, Session, Input, Instant)}, but with what reading changes nothing answered as
     * the bot would ({@code read} answers it: a live source's items, the appointment services and their free times),
     * so a preview shows today's news and the real free times. A booking, a move or a cancellation is answered as
     * if made (code {@code CITA-<year>-000000}), and made nowhere.
     */
    public static Mono<Step> step(Engine engine, Session session, Input input, Instant now,
            Function<Lookup, Mono<Optional<Found>>> read) {
        return turn(engine, session, input, new TurnContext("preview-" + UUID.randomUUID(), now), read, 0)
                .map(turn -> step(turn, now));
    }

    private static Mono<Turn> turn(Engine engine, Session session, Input input, TurnContext context,
            Function<Lookup, Mono<Optional<Found>>> read, int looked) {
        Turn turn = engine.resume(session, input, looked >= MAX_LOOKUPS ? context.withoutLookups() : context);
        if (turn.needs().isEmpty()) {
            return Mono.just(turn);
        }
        Lookup lookup = turn.needs().get();
        String code = "CITA-" + context.now().atZone(ZoneOffset.UTC).getYear() + "-000000";
        Mono<Optional<Found>> answer;
        if (lookup instanceof Lookup.Book book) {
            answer = Mono.just(Optional.of(new Found.Booked(code, book.start())));
        } else if (lookup instanceof Lookup.MoveAppointment move) {
            answer = Mono.just(Optional.of(new Found.Booked(move.code(), move.start())));
        } else if (lookup instanceof Lookup.CancelAppointment) {
            answer = Mono.just(Optional.of(new Found.Done()));
        } else if (lookup instanceof Lookup.Live || lookup instanceof Lookup.Appointments
                || lookup instanceof Lookup.FreeDays || lookup instanceof Lookup.FreeTimes) {
            answer = read.apply(lookup).onErrorReturn(Optional.empty());
        } else {
            answer = Mono.just(Optional.empty());
        }
        return answer.flatMap(found -> turn(engine, session, input, context.with(lookup, found), read, looked + 1));
    }

    private static Step step(Turn turn, Instant now) {
        String code = "INC-" + now.atZone(ZoneOffset.UTC).getYear() + "-000000";
        List<Reply> replies = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        for (Event event : turn.events()) {
            if (event instanceof Event.MessageCreated m) {
                replies.add(new Reply(m.text().replace(Event.MessageCreated.INCIDENT_CODE, code), m.options(),
                        m.menu()));
            } else if (!(event instanceof Event.Understood)) {
                actions.add(new Action(event.getClass().getSimpleName(), detail(event)));
            }
        }
        return new Step(turn.session(), replies, actions);
    }

    private static String detail(Event event) {
        if (event instanceof Event.IncidentReported r) {
            return r.category();
        }
        if (event instanceof Event.HandoffRequested h) {
            return h.department();
        }
        if (event instanceof Event.IncidentJoined j) {
            return j.code();
        }
        if (event instanceof Event.FollowRequested f) {
            return f.code();
        }
        if (event instanceof Event.StatusRequested s) {
            return s.code().orElse(null);
        }
        if (event instanceof Event.Subscribed s) {
            return s.topic() + (s.area() == null ? "" : " · " + s.area());
        }
        if (event instanceof Event.LanguageChanged l) {
            return l.language().code();
        }
        return null;
    }
}
