package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.appointment.Appointments;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Staff and integrations book through the API: admins set up an office and a service; an agent books on behalf of
 * a caller, moves and cancels; of twenty bookings made at once (as twenty citizens' turns make them) for a time with
 * three seats, exactly three are made
 * and the others are told the nearest free times.
 */
class AppointmentApiTests extends FullStackTest {

    static final ZoneId TOWN = ZoneId.of("Europe/Madrid");

    @org.springframework.beans.factory.annotation.Autowired
    Appointments appointments;

    private void setUp(String office, String service, int seats) {
        staff("cites-admin");
        staff("cites-agent", StaffUser.Role.AGENT);
        Map<String, Object> hours = new java.util.LinkedHashMap<>();
        for (String day : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")) {
            hours.put(day, List.of("09:00-14:00"));
        }
        Map<String, Object> officeBody = Map.of("name", "OAC " + office, "address", "Plaça de la Vila, 1",
                "hours", hours);
        put("cites-agent", "/api/v1/appointment-offices/" + office, officeBody).expectStatus().isForbidden();
        put("cites-admin", "/api/v1/appointment-offices/" + office, officeBody).expectStatus().isOk();
        put("cites-admin", "/api/v1/appointment-services/" + service, Map.of("names", Map.of("ca", "Padró",
                "es", "Padrón", "en", "Residence register"), "offices", List.of(office), "minutes", 20, "seats", seats))
                .expectStatus().isOk();
        put("cites-admin", "/api/v1/appointment-services/" + service + "-bad", Map.of("names", Map.of("ca", "X"),
                "offices", List.of("nowhere"))).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("names needs a name in es"));
    }

    @Test
    void staffBookMoveCancelAndMarkOnBehalfOfACaller() {
        setUp("api-oac", "api-padro", 1);
        LocalDate day = LocalDate.now(TOWN).plusDays(3);
        JsonNode services = okGet("cites-agent", "/api/v1/appointment-services");
        assertThat(services.findValuesAsText("id")).contains("api-padro");

        JsonNode booked = json(postAs("cites-agent", "/api/v1/appointments", Map.of("service", "api-padro",
                "office", "api-oac", "start", day + "T10:00", "name", "Maria Puig", "phone", "+34600000901"))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        String code = booked.get("code").asText();
        assertThat(code).matches("CITA-\\d{4}-\\d{6}");
        assertThat(booked.get("status").asText()).isEqualTo("BOOKED");
        assertThat(booked.get("channel").asText()).isEqualTo("STAFF");
        assertThat(booked.get("end").asText()).isEqualTo(day.atTime(10, 20).atZone(TOWN).toInstant().toString());

        postAs("cites-agent", "/api/v1/appointments", Map.of("service", "api-padro", "office", "api-oac", "start",
                day + "T10:00", "name", "Pere Vila")).expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.nearest").value(n -> assertThat((List<Object>) n).hasSize(5).contains(
                        day.atTime(9, 40).atZone(TOWN).toInstant().toString(),
                        day.atTime(10, 20).atZone(TOWN).toInstant().toString()));
        postAs("cites-agent", "/api/v1/appointments", Map.of("service", "api-padro", "office", "api-oac", "start",
                day + "T10:05", "name", "Pere Vila")).expectStatus().isBadRequest();
        postAs("cites-agent", "/api/v1/appointments", Map.of("service", "api-padro", "office", "api-oac", "start",
                day + "T10:20")).expectStatus().isBadRequest().expectBody().jsonPath("$.detail")
                .value(d -> assertThat((String) d).contains("name"));

        JsonNode moved = okPost("cites-agent", "/api/v1/appointments/" + code + "/move", Map.of("start",
                day + "T11:00"));
        assertThat(moved.get("start").asText()).isEqualTo(day.atTime(11, 0).atZone(TOWN).toInstant().toString());
        JsonNode free = okGet("cites-agent", "/api/v1/appointments/free?service=api-padro&office=api-oac&date=" + day);
        List<String> times = new ArrayList<>();
        free.forEach(t -> times.add(t.asText()));
        assertThat(times).contains(day.atTime(10, 0).atZone(TOWN).toInstant().toString())
                .doesNotContain(day.atTime(11, 0).atZone(TOWN).toInstant().toString());

        JsonNode dayList = okGet("cites-agent", "/api/v1/appointments?date=" + day + "&office=api-oac");
        assertThat(dayList.findValuesAsText("code")).containsExactly(code);
        assertThat(okPost("cites-agent", "/api/v1/appointments/" + code + "/status", Map.of("status", "NO_SHOW"))
                .get("status").asText()).isEqualTo("NO_SHOW");

        JsonNode other = json(postAs("cites-agent", "/api/v1/appointments", Map.of("service", "api-padro",
                "office", "api-oac", "start", day + "T12:00", "name", "Pere Vila")).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody());
        JsonNode cancelled = json(web.delete().uri("/api/v1/appointments/" + other.get("code").asText())
                .headers(h -> h.setBasicAuth("cites-agent", STAFF_PASSWORD)).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("cancelledBy").asText()).isEqualTo("cites-agent");
        postAs("cites-agent", "/api/v1/appointments", Map.of("service", "api-padro", "office", "api-oac", "start",
                day + "T12:00", "name", "Anna Soler")).expectStatus().isCreated();
        JsonNode figures = okGet("cites-agent", "/api/v1/stats/appointments?from=" + day + "&to=" + day
                + "&office=api-oac");
        assertThat(figures.get("total").asLong()).isEqualTo(3);
        assertThat(figures.get("noShow").asLong()).isEqualTo(1);
        assertThat(figures.get("cancelled").asLong()).isEqualTo(1);
        assertThat(figures.get("booked").asLong()).isEqualTo(1);
        assertThat(figures.get("byChannel").get("STAFF").asLong()).isEqualTo(3);
        assertThat(figures.get("byService").get("api-padro").asLong()).isEqualTo(3);
        assertThat(figures.get("medianLeadHours").asDouble()).as("booked days ahead").isGreaterThan(24);
        web.get().uri("/api/v1/appointments/CITA-1999-000001").headers(h -> h.setBasicAuth("cites-agent",
                STAFF_PASSWORD)).exchange().expectStatus().isNotFound();
    }

    @Test
    void ofTwentyBookingsAtOnceForThreeSeatsExactlyThreeAreMadeAndARetryBooksNothingNew() {
        setUp("race-oac", "race-padro", 3);
        String start = LocalDate.now(TOWN).plusDays(4) + "T09:20";
        java.time.Instant slot = java.time.LocalDateTime.parse(start).atZone(TOWN).toInstant();
        // Twenty citizens' turns book at once, as the chat does (the API's sign-in throttle would count twenty
        // parallel sign-ins of one user as a guessing attack, by design).
        List<Appointments.Booking> results = reactor.core.publisher.Flux.range(0, 20)
                .flatMap(i -> appointments.book(new Appointments.Request("race-turn-" + i, "race-padro", "race-oac", slot,
                        "Veí " + i, null, "TELEGRAM", "race-conversation-" + i, "ca", "citizen", false))
                        .subscribeOn(reactor.core.scheduler.Schedulers.parallel()), 20)
                .collectList().block();
        assertThat(results).filteredOn(Appointments.Booked.class::isInstance).hasSize(3);
        assertThat(results).filteredOn(Appointments.Full.class::isInstance).hasSize(17)
                .allSatisfy(f -> assertThat(((Appointments.Full) f).nearest()).hasSize(5).doesNotContain(slot));
        JsonNode day = okGet("cites-agent", "/api/v1/appointments?date=" + start.substring(0, 10) + "&office=race-oac");
        assertThat(day).hasSize(3);
        postAs("cites-agent", "/api/v1/appointments", Map.of("service", "race-padro", "office", "race-oac", "start",
                start, "name", "Una altra")).expectStatus().isEqualTo(409);

        // The same request again, with its key: the first booking's answer, nothing new booked.
        String first = web.post().uri("/api/v1/appointments").headers(h -> {
            h.setBasicAuth("cites-agent", STAFF_PASSWORD);
            h.set("Idempotency-Key", "call-8842");
        }).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("service", "race-padro", "office", "race-oac",
                "start", start.replace("09:20", "09:40"), "name", "Jordi")).exchange().expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
        String again = web.post().uri("/api/v1/appointments").headers(h -> {
            h.setBasicAuth("cites-agent", STAFF_PASSWORD);
            h.set("Idempotency-Key", "call-8842");
        }).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("service", "race-padro", "office", "race-oac",
                "start", start.replace("09:20", "09:40"), "name", "Jordi")).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(json(again).get("code").asText()).isEqualTo(json(first).get("code").asText());
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec put(String username, String uri,
            Object body) {
        return web.put().uri(uri).headers(h -> h.setBasicAuth(username, STAFF_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
