package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.civicbot.backoffice.open311.Open311Client;
import org.civicbot.backoffice.open311.Open311Clients;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The systems allowed to file requests through Open311, and their keys (admins only). */
@RestController
@RequestMapping("/api/v1/open311-clients")
@Tag(name = "Open311 clients", description = "Who may post to /open311/v2 and read details, and their api_key")
class Open311ClientApi {

    private final Open311Clients clients;
    private final CurrentStaff staff;

    Open311ClientApi(Open311Clients clients, CurrentStaff staff) {
        this.clients = clients;
        this.staff = staff;
    }

    /**
     * A client as admins read it: never its key.
     *
     * @param readsDetails whether its key also reads descriptions and exact places
     * @param active false once revoked
     */
    record ClientView(String id, String name, boolean readsDetails, boolean active, Instant createdAt,
            String createdBy, Instant keyIssuedAt, Instant lastUsedAt) {
        static ClientView of(Open311Client c) {
            return new ClientView(c.id(), c.name(), c.readsDetails(), c.active(), c.createdAt(), c.createdBy(),
                    c.keyIssuedAt(), c.lastUsedAt());
        }
    }

    /** A new client. */
    record NewClient(String id, String name, Boolean readsDetails) {}

    /** A client with its key, shown once: keep it, it cannot be read again (a new one can be made). */
    record Issued(String id, String name, boolean readsDetails, String apiKey) {
        static Issued of(Open311Clients.Issued issued) {
            return new Issued(issued.client().id(), issued.client().name(), issued.client().readsDetails(),
                    issued.apiKey());
        }
    }

    @GetMapping
    @Operation(summary = "Every Open311 client, revoked ones too")
    Flux<ClientView> all() {
        return clients.all().map(ClientView::of);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Allow a client; the answer holds its api_key, once")
    Mono<Issued> create(@RequestBody NewClient client) {
        return staff.scope().flatMap(me -> clients.create(client.id(), client.name(),
                Boolean.TRUE.equals(client.readsDetails()), me.username())).map(Issued::of);
    }

    @PostMapping("/{id}/key")
    @Operation(summary = "Give the client a new api_key (the old one is refused at once; a revoked client is allowed "
            + "again)")
    Mono<Issued> rotate(@PathVariable String id) {
        return staff.scope().flatMap(me -> clients.rotate(id, me.username())).map(Issued::of);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke the client: its api_key is refused at once; its requests stay")
    Mono<ClientView> revoke(@PathVariable String id) {
        return staff.scope().flatMap(me -> clients.revoke(id, me.username())).map(ClientView::of);
    }
}
