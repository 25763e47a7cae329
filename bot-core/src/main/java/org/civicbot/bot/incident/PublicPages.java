package org.civicbot.bot.incident;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * Incidents' public status pages: {@code <public-base-url>/s/<token>}, no login, for the citizen who reported it
 * (or anyone they share it with). The token is made with the incident; an incident from before there were pages
 * gets one the first time it needs it.
 */
public class PublicPages {

    public static final String PATH = "/s/";

    private final ReactiveMongoTemplate mongo;
    private final String baseUrl;

    public PublicPages(ReactiveMongoTemplate mongo, String publicBaseUrl) {
        this.mongo = mongo;
        this.baseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    /** The address of the incident's page, given a token if it had none. */
    public Mono<String> urlOf(Incident incident) {
        if (incident.publicToken() != null) {
            return Mono.just(url(incident.publicToken()));
        }
        return mongo.findAndModify(query(where("_id").is(incident.id()).and("publicToken").is(null)),
                        new Update().set("publicToken", PublicTokens.next()),
                        FindAndModifyOptions.options().returnNew(true), Incident.class)
                // Another call gave it one meanwhile: that one stands.
                .switchIfEmpty(Mono.defer(() -> mongo.findById(incident.id(), Incident.class)))
                .map(withToken -> url(withToken.publicToken()));
    }

    /** The address for a token. */
    public String url(String token) {
        return baseUrl + PATH + token;
    }

    /** The incident a page shows; empty for a token no incident has. */
    public Mono<Incident> byToken(String token) {
        if (!PublicTokens.wellFormed(token)) {
            return Mono.empty();
        }
        return mongo.findOne(query(where("publicToken").is(token)), Incident.class);
    }
}
