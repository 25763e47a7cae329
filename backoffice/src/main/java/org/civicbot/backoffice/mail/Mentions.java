package org.civicbot.backoffice.mail;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.backoffice.staff.StaffUsers;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code @username} in staff's internal notes: who a note names, and each staff member's unread mentions
 * ({@code mentions}).
 */
@Component
public class Mentions {

    /** The unread mentions a staff member's inbox lists at most. */
    public static final int MAX_UNREAD = 50;
    /** The same characters a username may have; a name ends before trailing dots, hyphens or underscores. */
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}._%+@-])@([A-Za-z0-9._-]+)");
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{2,40}");

    private final ReactiveMongoTemplate mongo;
    private final StaffUsers users;

    Mentions(ReactiveMongoTemplate mongo, StaffUsers users) {
        this.mongo = mongo;
        this.users = users;
    }

    /**
     * The usernames a text names as {@code @name}, in order, each once: {@code "@pere,"} and {@code "(@pere)"} name
     * {@code pere}; an e-mail address ({@code pere@example.org}) names nobody. Whether they exist is not looked at.
     */
    public static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        if (text == null) {
            return names;
        }
        Matcher matcher = MENTION.matcher(text);
        while (matcher.find()) {
            // Punctuation right after the name ends the sentence, not the name: "thanks @pere." names pere.
            String name = matcher.group(1).replaceAll("[._-]+$", "").toLowerCase(Locale.ROOT);
            if (USERNAME.matcher(name).matches()) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Records the note's mentions of enabled staff members who may see the incident, other than its author, each once however often the
     * note is told; the staff members it names (recorded now or before: a retry still finds them).
     */
    public Flux<StaffUser> record(org.civicbot.bot.incident.Incident incident, Instant at, String note, String author) {
        String code = incident.code();
        return Flux.fromIterable(names(note))
                .filter(name -> !name.equals(author))
                .concatMap(users::find)
                .filter(StaffUser::enabled)
                // Only colleagues who may open the incident: a mention must not carry it to anyone else.
                .filterWhen(user -> users.scope(user.username()).map(scope -> scope.attends()
                        && scope.canSee(incident.department(), incident.assignee())).defaultIfEmpty(false))
                .concatMap(user -> mongo.insert(new Mention(Mention.idOf(code, at, user.username()), user.username(),
                                code, author, at, false))
                        .thenReturn(user)
                        .onErrorResume(DuplicateKeyException.class, recordedBefore -> Mono.just(user)));
    }

    /** A staff member's unread mentions, the latest first. */
    public Flux<Mention> unread(String username) {
        return mongo.find(query(where("username").is(username).and("read").is(false))
                .with(Sort.by(Sort.Direction.DESC, "at")).limit(MAX_UNREAD), Mention.class);
    }

    /** Marks one of the staff member's mentions read; false if they have no such mention. */
    public Mono<Boolean> markRead(String username, String id) {
        return mongo.updateFirst(query(where("_id").is(id).and("username").is(username)),
                new Update().set("read", true), Mention.class).map(result -> result.getMatchedCount() > 0);
    }

    /** Marks read the staff member's mentions in an incident: they opened it. */
    public Mono<Long> markReadIn(String username, String code) {
        return mongo.updateMulti(query(where("username").is(username).and("code").is(code).and("read").is(false)),
                new Update().set("read", true), Mention.class).map(result -> result.getModifiedCount());
    }
}
