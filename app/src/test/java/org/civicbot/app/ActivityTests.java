package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.civicbot.backoffice.activity.Activity;
import org.civicbot.backoffice.activity.ActivityReminders;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.incident.Incident;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Planned activities: a repeating one is made of all its occurrences, each at the same local time whatever the
 * season; each reminds its assignee once when it comes due (the reminders run at a time the test gives); done and
 * cancelled ones are reminded of no more; only staff who may see the incident plan on it or see its activities.
 */
class ActivityTests extends FullStackTest {

    private static final ZoneId TOWN = ZoneId.of("Europe/Madrid");

    @Autowired
    ActivityReminders reminders;

    @Autowired
    Departments departments;

    @Test
    void aWeeklyActivityMakesItsOccurrencesAndRemindsItsAssigneeOnceEach() throws Exception {
        staff("act-admin");
        staff("act-pere", StaffUser.Role.AGENT);
        users.update("act-pere", "Pere Soler", "pere.soler@town.example.org").block();
        String code = incident("act-admin", "Fanal que parpelleja cada nit");

        // Every Monday at 9 for 8 weeks, across the change to summer time (30 March 2031).
        Map<String, Object> plan = Map.of("title", "Revisar el fanal", "at", "2031-03-03T09:00:00+01:00",
                "assignee", "act-pere", "repeat", Map.of("every", "WEEK", "count", 8));
        JsonNode planned = json(web.post().uri("/api/v1/incidents/" + code + "/activities")
                .headers(h -> h.setBasicAuth("act-admin", STAFF_PASSWORD)).header("Idempotency-Key", "plan-1")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(plan).exchange()
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        JsonNode occurrences = planned.get("activities");
        assertThat(occurrences).hasSize(8);
        List<ZonedDateTime> times = new ArrayList<>();
        occurrences.forEach(o -> times.add(Instant.parse(o.get("at").asText()).atZone(TOWN)));
        assertThat(times).allMatch(t -> t.getDayOfWeek() == DayOfWeek.MONDAY)
                .allMatch(t -> t.toLocalTime().equals(LocalTime.of(9, 0)));
        assertThat(times.get(0).toLocalDate()).hasToString("2031-03-03");
        assertThat(times.get(7).toLocalDate()).hasToString("2031-04-21");
        assertThat(occurrences.get(2).get("number").asInt()).isEqualTo(3);
        assertThat(occurrences.get(2).get("of").asInt()).isEqualTo(8);
        String series = planned.get("series").asText();

        // The answer was lost and the client sent it again: nothing new.
        web.post().uri("/api/v1/incidents/" + code + "/activities")
                .headers(h -> h.setBasicAuth("act-admin", STAFF_PASSWORD)).header("Idempotency-Key", "plan-1")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(plan).exchange()
                .expectStatus().isCreated();
        assertThat(count(Activity.class, "series", series)).isEqualTo(8);
        Incident incident = mongo.findOne(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("code").is(code)), Incident.class).block();
        assertThat(incident.timeline()).filteredOn(e -> "ACTIVITY".equals(e.type())).singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("planned");
                    assertThat(e.text()).isEqualTo("Revisar el fanal");
                    assertThat(e.to()).isEqualTo("act-pere");
                });

        // Half an hour before the first: its assignee is reminded of it, and of no later one.
        Instant first = times.get(0).toInstant();
        reminders.remind(first.minusSeconds(1800)).block();
        List<MimeMessage> mails = awaitMail("pere.soler@town.example.org", 1);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getSubject()).contains("Revisar el fanal").contains(code);
        String body = Mailbox.text(mails.get(0));
        assertThat(body).contains("3/3/2031 09:00").contains("1 de 8").contains("/incidents/" + code);
        assertThat(activity(series, 1).remindedAt()).isNotNull();
        assertThat(activity(series, 2).remindedAt()).isNull();
        // Again (another instance, a restart): no second mail.
        reminders.remind(first.minusSeconds(600)).block();

        // The second is done before its time: no reminder for it. The third comes due and is reminded.
        okPost("act-pere", "/api/v1/activities/" + series + "-2/done", Map.of());
        reminders.remind(times.get(2).toInstant().minusSeconds(1800)).block();
        mails = awaitMail("pere.soler@town.example.org", 2);
        assertThat(Mailbox.text(mails.get(1))).contains("17/3/2031 09:00").contains("3 de 8");
        assertThat(activity(series, 2).remindedAt()).isNull();
        assertThat(activity(series, 2).doneBy()).isEqualTo("act-pere");

        // Cancelling the fifth "and later": 5 to 8 go, and are never reminded.
        JsonNode cancelled = json(web.delete().uri("/api/v1/activities/" + series + "-5?andLater=true")
                .headers(h -> h.setBasicAuth("act-admin", STAFF_PASSWORD)).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(cancelled.get("cancelled").asLong()).isEqualTo(4);
        reminders.remind(times.get(3).toInstant().minusSeconds(1800)).block();
        assertThat(activity(series, 4).remindedAt()).as("the fourth, still planned, came due").isNotNull();
        reminders.remind(times.get(7).toInstant()).block();
        assertThat(List.of(5, 6, 7, 8)).allMatch(n -> activity(series, n).remindedAt() == null);
        await().atMost(PATIENCE).until(() -> Mailbox.to("pere.soler@town.example.org").size() >= 3);
        assertThat(Mailbox.to("pere.soler@town.example.org")).hasSize(3);

        // The incident's list and the calendar's read agree: four left, one done.
        JsonNode ofIncident = okGet("act-admin", "/api/v1/incidents/" + code + "/activities");
        assertThat(ofIncident).hasSize(4);
        JsonNode calendar = okGet("act-pere", "/api/v1/activities?from=2031-03-01&to=2031-04-30&assignee=me");
        assertThat(ids(calendar)).containsExactly(series + "-1", series + "-2", series + "-3", series + "-4");
        assertThat(calendar.get(1).get("done").asBoolean()).isTrue();
        assertThat(okGet("act-pere", "/api/v1/activities?from=2031-03-01&to=2031-04-30&assignee=me&open=true"))
                .hasSize(3);
    }

    @Test
    void onlyStaffWhoSeeTheIncidentPlanOnItAndBadPlansAreRefused() {
        staff("act-admin2");
        if (departments.find("act_parks").block() == null) {
            departments.create(new Department("act_parks", "Parcs")).block();
        }
        users.find("act-outsider").switchIfEmpty(users.create("act-outsider", "Outsider", STAFF_PASSWORD,
                Set.of(StaffUser.Role.AGENT), Set.of("act_parks"))).block();
        String code = json(postAs("act-admin2", "/api/v1/incidents", Map.of("intake", "PHONE",
                "category", "street_lighting", "description", "Fanal tort", "department", "citizen_service"))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .get("code").asText();
        Map<String, Object> plan = Map.of("title", "Mirar-ho", "at", "2031-05-05T10:00:00+02:00",
                "assignee", "act-admin2");
        postAs("act-outsider", "/api/v1/incidents/" + code + "/activities", plan).expectStatus().isNotFound();
        String series = json(postAs("act-admin2", "/api/v1/incidents/" + code + "/activities", plan)
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .get("series").asText();
        assertThat(ids(okGet("act-outsider", "/api/v1/activities?from=2031-05-01&to=2031-05-31")))
                .doesNotContain(series + "-1");
        postAs("act-outsider", "/api/v1/activities/" + series + "-1/done", Map.of()).expectStatus().isNotFound();

        long before = count(Activity.class, "incident", code);
        assertRefused(code, Map.of("at", "2031-05-05T10:00:00+02:00", "assignee", "act-admin2"), "title");
        assertRefused(code, Map.of("title", "x", "assignee", "act-admin2"), "say when");
        assertRefused(code, Map.of("title", "x", "at", "2031-05-05T10:00:00+02:00", "assignee", "nobody-here"),
                "no active staff member nobody-here");
        assertRefused(code, Map.of("title", "x", "at", "2031-05-05T10:00:00+02:00", "assignee", "act-admin2",
                "repeat", Map.of("every", "WEEK", "count", 61)), "1 to 60 times");
        assertRefused(code, Map.of("title", "x", "at", "2031-05-05T10:00:00+02:00", "assignee", "act-outsider"),
                "act-outsider cannot see incident " + code);
        assertThat(count(Activity.class, "incident", code)).isEqualTo(before);
    }

    private void assertRefused(String code, Map<String, Object> plan, String reason) {
        assertThat(postAs("act-admin2", "/api/v1/incidents/" + code + "/activities", plan).expectStatus()
                .isBadRequest().expectBody(String.class).returnResult().getResponseBody()).contains(reason);
    }

    private String incident(String user, String description) {
        return json(postAs(user, "/api/v1/incidents", Map.of("intake", "PHONE", "category", "street_lighting",
                "description", description)).expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody()).get("code").asText();
    }

    private Activity activity(String series, int number) {
        return mongo.findById(series + "-" + number, Activity.class).block();
    }

    private static List<String> ids(JsonNode activities) {
        List<String> ids = new ArrayList<>();
        activities.forEach(a -> ids.add(a.get("id").asText()));
        return ids;
    }

    private static List<MimeMessage> awaitMail(String address, int count) {
        await().atMost(PATIENCE).until(() -> Mailbox.to(address).size() >= count);
        return Mailbox.to(address);
    }
}
