package org.civicbot.backoffice.supplier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.civicbot.backoffice.mail.EmailAddresses;
import org.civicbot.backoffice.mail.IncidentMail;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Passes an incident to someone outside the town hall by e-mail: a forward is stored, the history says to whom and
 * what was asked, and the mail carries a signed link to the supplier page, good for
 * {@code civicbot.supplier.link-valid-for}. The mail goes through the mail outbox: a mail server that is down
 * never stops the forward.
 */
@Component
public class Forwards {

    private final ReactiveMongoTemplate mongo;
    private final IncidentDesk desk;
    private final SupplierLinks links;
    private final IncidentMail mail;
    private final Clock clock;
    private final Duration validFor;
    private final String baseUrl;

    Forwards(ReactiveMongoTemplate mongo, IncidentDesk desk, SupplierLinks links, IncidentMail mail, Clock clock,
            @Value("${civicbot.supplier.link-valid-for:30d}") Duration validFor,
            @Value("${civicbot.public-base-url:http://localhost:8080}") String publicBaseUrl) {
        this.mongo = mongo;
        this.desk = desk;
        this.links = links;
        this.mail = mail;
        this.clock = clock;
        this.validFor = validFor;
        this.baseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    /** The supplier page's address for a forward. */
    public Mono<String> link(Forward forward) {
        return links.sign(forward.id(), forward.expiresAt()).map(token -> baseUrl + "/supplier/" + token);
    }

    /** Forwards the incident to {@code to}; refused (nothing done) when the address is not one. */
    public Mono<Incident> forward(String code, String to, String note, String actor) {
        String address = to == null ? "" : to.strip();
        if (!EmailAddresses.valid(address)) {
            return Mono.error(new IncidentDesk.Invalid("\"" + address + "\" is not an e-mail address"));
        }
        String asked = note == null || note.isBlank() ? null : note.strip();
        if (asked != null && asked.length() > IncidentDesk.MAX_NOTE_LENGTH) {
            return Mono.error(new IncidentDesk.Invalid("a note may have at most " + IncidentDesk.MAX_NOTE_LENGTH
                    + " characters"));
        }
        Instant now = clock.instant();
        Forward forward = new Forward(UUID.randomUUID().toString(), code, address, asked, actor, now,
                now.plus(validFor));
        // The forward first: a crash after it leaves a link nobody was sent, never a line that says it was.
        return mongo.insert(forward)
                .then(desk.forwarded(code, address, asked, actor))
                .flatMap(changed -> link(forward)
                        .flatMap(url -> mail.forward(changed, forward.id(), address, asked, url, actor))
                        .thenReturn(changed));
    }
}
