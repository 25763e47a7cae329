package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.civicbot.backoffice.mail.IncidentMail;
import org.civicbot.backoffice.mail.Mail;
import org.civicbot.backoffice.mail.Mentions;
import org.civicbot.backoffice.staff.StaffUser;
import org.civicbot.bot.incident.Incident;
import org.civicbot.bot.incident.IncidentDesk;
import org.civicbot.bot.incident.Incidents;
import org.civicbot.bot.incident.Source;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * E-mail to staff: the alert when an incident reaches a department or a person with an address, a mention in an
 * internal note, and the addresses admins give departments and staff users. Mail goes to GreenMail.
 */
class MailTests extends FullStackTest {

    private static final AtomicInteger REFS = new AtomicInteger();

    @Autowired
    Incidents incidents;
    @Autowired
    IncidentDesk desk;

    @Autowired
    org.civicbot.backoffice.mail.OverdueDigest digest;
    @Autowired
    IncidentMail incidentMail;
    @Autowired
    Mentions mentions;

    @BeforeEach
    void staffMembers() {
        staff("mail-admin");
        users.find("mail-lluc").switchIfEmpty(users.create("mail-lluc", "Lluc Puig", STAFF_PASSWORD,
                Set.of(StaffUser.Role.SUPERVISOR), Set.of(), "lluc@town.example.org")).block();
        users.find("mail-nuria").switchIfEmpty(users.create("mail-nuria", "Núria Vila", STAFF_PASSWORD,
                Set.of(StaffUser.Role.AGENT), Set.of(), "nuria@town.example.org")).block();
    }

    @Test
    void anAssignmentToADepartmentWithAnAddressMailsItTheAlertOnce() throws Exception {
        if (departmentMissing("mail_lighting")) {
            assertThat(postAs("mail-admin", "/api/v1/departments", Map.of("id", "mail_lighting", "name",
                    "Enllumenat", "email", "enllumenat@town.example.org")).expectStatus().isCreated());
        }
        Incident incident = incident("street_lighting", "El fanal de la cantonada fa dies que no s'encén");
        String uri = "/api/v1/incidents/" + incident.code() + "/assignment";

        okPost("mail-lluc", uri, Map.of("department", "mail_lighting"));

        MimeMessage alert = awaitMail("enllumenat@town.example.org", 1).get(0);
        assertThat(alert.getSubject()).contains(incident.code(), "Enllumenat públic", "Enllumenat");
        String body = Mailbox.text(alert);
        assertThat(body).contains(Providers.PUBLIC_BASE + "/incidents/" + incident.code(), "Lluc Puig",
                "Carrer Major 12");

        // The same assignment again (a retried request) finds the incident there already: nothing more is queued.
        okPost("mail-lluc", uri, Map.of("department", "mail_lighting"));
        assertThat(queuedFor(incident)).hasSize(1);
        awaitAllSent(incident);
        assertThat(Mailbox.to("enllumenat@town.example.org")).hasSize(1);
    }

    @Test
    void anAssignmentToAPersonMailsThemUnlessTheyTookItThemselves() {
        Incident incident = incident("parks_gardens", "Hi ha una branca trencada al parc");
        String uri = "/api/v1/incidents/" + incident.code() + "/assignment";
        int before = Mailbox.to("nuria@town.example.org").size();

        okPost("mail-lluc", uri, Map.of("assignee", "mail-nuria"));
        List<MimeMessage> mails = awaitMail("nuria@town.example.org", before + 1);
        assertThat(subjects(mails)).anyMatch(s -> s.contains(incident.code()) && s.contains("Parcs i jardins"));

        // Lluc takes it himself: no mail to him, although he has an address.
        okPost("mail-lluc", uri, Map.of("assignee", "mail-lluc"));
        assertThat(queuedFor(incident)).extracting(Mail::to).containsExactly("nuria@town.example.org");
    }

    @Test
    void aMentionInANoteMailsTheColleagueAndWaitsInTheirInbox() throws Exception {
        Incident incident = incident("street_furniture", "Un banc trencat a la plaça");
        String note = "@mail-nuria, pots mirar-ho? I tu també @mail-lluc. (Avisa a info@example.org, @ningu.)";
        // Written through the API, as the page and scripts do: the note tells whom it names.
        okPost("mail-admin", "/api/v1/incidents/" + incident.code() + "/notes", Map.of("text", note));
        Incident noted = mongo.findOne(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("code").is(incident.code())),
                Incident.class).block();
        // Told again (a retry): the same note mentions each colleague once.
        incidentMail.mentioned(noted, note, "mail-admin").block();

        MimeMessage mail = awaitMail("nuria@town.example.org", m -> m.getSubject().contains(incident.code())).get(0);
        assertThat(Mailbox.text(mail)).contains("pots mirar-ho",
                Providers.PUBLIC_BASE + "/incidents/" + incident.code());
        assertThat(queuedFor(incident)).extracting(Mail::to)
                .containsExactlyInAnyOrder("nuria@town.example.org", "lluc@town.example.org");
        var unread = mentions.unread("mail-nuria").filter(m -> m.code().equals(incident.code())).collectList().block();
        assertThat(unread).hasSize(1);
        assertThat(unread.get(0).by()).isEqualTo("mail-admin");
        assertThat(mentions.markRead("mail-lluc", unread.get(0).id()).block()).as("not his mention").isFalse();

        // Her inbox lists it, linking to the incident, until she marks it read.
        PageSession nuria = PageSession.signIn(web, "mail-nuria", STAFF_PASSWORD);
        assertThat(nuria.get("/inbox")).contains("href=\"/incidents/" + incident.code() + "\"");
        assertThat(nuria.post("/inbox", "/inbox/mentions/read", Map.of("id", unread.get(0).id()))).isEqualTo("/inbox");
        assertThat(nuria.get("/inbox")).doesNotContain("/incidents/" + incident.code());
        assertThat(mentions.unread("mail-nuria").filter(m -> m.code().equals(incident.code())).collectList().block())
                .isEmpty();
    }

    @Test
    void adminsGiveDepartmentsAndUsersAnAddressAndABadOneIsRefused() {
        assertThat(json(postAs("mail-admin", "/api/v1/departments", Map.of("id", "mail_parks", "name", "Parcs",
                "email", "parcs at town")).expectStatus().isBadRequest().expectBody(String.class).returnResult()
                .getResponseBody()).get("errors").get(0).get("field").asText()).isEqualTo("email");
        assertThat(departmentMissing("mail_parks")).isTrue();

        postAs("mail-admin", "/api/v1/departments", Map.of("id", "mail_parks", "name", "Parcs",
                "email", "parcs@town.example.org")).expectStatus().isCreated();
        assertThat(department("mail_parks").get("email").asText()).isEqualTo("parcs@town.example.org");

        web.patch().uri("/api/v1/departments/mail_parks").headers(h -> h.setBasicAuth("mail-admin", STAFF_PASSWORD))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "Parcs <parcs@town.example.org>")).exchange().expectStatus().isBadRequest();
        assertThat(department("mail_parks").get("email").asText()).isEqualTo("parcs@town.example.org");
        web.patch().uri("/api/v1/departments/mail_parks").headers(h -> h.setBasicAuth("mail-nuria", STAFF_PASSWORD))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "other@town.example.org")).exchange().expectStatus().isForbidden();
        web.patch().uri("/api/v1/departments/mail_parks").headers(h -> h.setBasicAuth("mail-admin", STAFF_PASSWORD))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "jardins@town.example.org")).exchange().expectStatus().isOk();
        assertThat(department("mail_parks").get("email").asText()).isEqualTo("jardins@town.example.org");

        postAs("mail-admin", "/api/v1/users", Map.of("username", "mail-bad", "displayName", "Bad", "password",
                STAFF_PASSWORD, "roles", List.of("AGENT"), "email", "bad@")).expectStatus().isBadRequest();
        assertThat(users.find("mail-bad").block()).isNull();
        postAs("mail-admin", "/api/v1/users", Map.of("username", "mail-good", "displayName", "Good", "password",
                STAFF_PASSWORD, "roles", List.of("AGENT"), "email", "good@town.example.org")).expectStatus()
                .isCreated();
        assertThat(user("mail-good").get("email").asText()).isEqualTo("good@town.example.org");
        web.patch().uri("/api/v1/users/mail-good").headers(h -> h.setBasicAuth("mail-admin", STAFF_PASSWORD))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "")).exchange().expectStatus().isOk();
        assertThat(user("mail-good").get("email").isNull()).isTrue();

        // The admin page does the same: a bad address is refused, a good one shown.
        PageSession admin = PageSession.signIn(web, "mail-admin", STAFF_PASSWORD);
        admin.post("/admin", "/admin/departments/mail_parks/email", Map.of("email", "no address"));
        assertThat(department("mail_parks").get("email").asText()).isEqualTo("jardins@town.example.org");
        admin.post("/admin", "/admin/departments/mail_parks/email", Map.of("email", "parcs@town.example.org"));
        assertThat(admin.get("/admin")).contains("value=\"parcs@town.example.org\"");
        admin.post("/admin", "/admin/users/mail-good/email", Map.of("email", "good@town.example.org"));
        assertThat(user("mail-good").get("email").asText()).isEqualTo("good@town.example.org");
    }

    @Test
    void aRuleSendsAStreetLightingIncidentToADepartmentAndAPersonAndBothAreMailed() throws Exception {
        postAs("mail-admin", "/api/v1/departments", Map.of("id", "mail_lights", "name", "Enllumenat",
                "email", "llums@town.example.org")).expectStatus().isCreated();
        String marker = "fanalregla" + REFS.incrementAndGet();
        okPost("mail-admin", "/api/v1/rules", Map.of("id", "mail_" + marker, "position", 1,
                "when", Map.of("category", "street_lighting", "words", List.of(marker)),
                "then", Map.of("department", "mail_lights", "assignee", "mail-nuria", "email", true)));

        String code = json(postAs("mail-admin", "/api/v1/incidents", Map.of("intake", "PHONE",
                "category", "street_lighting", "description", "El fanal " + marker + " parpelleja"))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .get("code").asText();

        MimeMessage toDepartment = awaitMail("llums@town.example.org", m -> m.getSubject().contains(code)).get(0);
        assertThat(toDepartment.getSubject()).contains("Enllumenat públic").contains("Enllumenat");
        assertThat(Mailbox.text(toDepartment)).contains("Una regla automàtica")
                .contains(Providers.PUBLIC_BASE + "/incidents/" + code);
        MimeMessage toPerson = awaitMail("nuria@town.example.org", m -> m.getSubject().contains(code)).get(0);
        assertThat(Mailbox.text(toPerson)).contains("El fanal " + marker + " parpelleja");
    }

    @Test
    void eachDepartmentGetsOneDigestADayOfItsOverdueIncidents() throws Exception {
        postAs("mail-admin", "/api/v1/departments", Map.of("id", "mail_digest", "name", "Via pública",
                "email", "via@town.example.org")).expectStatus().isCreated();
        Incident late = incident("street_lighting", "Fanal apagat fa dies");
        okPost("mail-admin", "/api/v1/incidents/" + late.code() + "/assignment", Map.of("department", "mail_digest"));
        Incident onTime = incident("roads_pavements", "Un clot nou");
        okPost("mail-admin", "/api/v1/incidents/" + onTime.code() + "/assignment", Map.of("department", "mail_digest"));
        // Eight days on, at ten in the town's morning: the lamp (7 days) is overdue, the pothole (20) is not.
        Instant later = java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Madrid")).plusDays(8)
                .withHour(10).withMinute(0).toInstant();

        assertThat(digest.send(later).block()).as("this department, and others the shared store has").isPositive();
        assertThat(digest.send(later.plusSeconds(3600)).block()).as("once a day").isZero();
        MimeMessage mail = awaitMail("via@town.example.org", m -> m.getSubject().startsWith("[civicbot]")).get(0);
        assertThat(mail.getSubject()).isEqualTo("[civicbot] Via pública: 1 incidències vençudes");
        assertThat(Mailbox.text(mail)).contains(late.code() + " · Enllumenat públic")
                .contains(Providers.PUBLIC_BASE + "/incidents/" + late.code()).doesNotContain(onTime.code());
        assertThat(digest.send(later.atZone(java.time.ZoneId.of("Europe/Madrid")).withHour(7).toInstant()).block())
                .as("not before the digest time").isZero();
    }

    @Test
    void aCitizenWhoCalledAndAskedToBeToldByEmailHearsOfTheRequestAndItsClose() throws Exception {
        String address = "lucia.garcia@example.net";
        String code = json(postAs("mail-admin", "/api/v1/incidents", Map.of("intake", "PHONE",
                "category", "roads_pavements", "description", "Un clot davant del número 8",
                "contact", Map.of("name", "Lucía García", "email", address, "language", "es", "consent", true,
                        "notifyBy", "EMAIL"))).expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody()).get("code").asText();

        MimeMessage registered = awaitMail(address, 1).get(0);
        assertThat(registered.getSubject()).isEqualTo("Incidencia " + code);
        assertThat(Mailbox.text(registered)).startsWith("Hemos registrado tu incidencia").contains(code)
                .contains(Providers.PUBLIC_BASE + "/s/");

        okPost("mail-admin", "/api/v1/incidents/" + code + "/status", Map.of("status", "CLOSED",
                "outcome", "POSITIVE", "note", "Bache tapado."));
        MimeMessage closed = awaitMail(address, 2).get(1);
        assertThat(Mailbox.text(closed)).startsWith("Tu incidencia " + code + " se ha cerrado: resuelta. Bache tapado.");
        okPost("mail-admin", "/api/v1/incidents/" + code + "/notes", Map.of("text", "Nota interna", "public", false));
        assertThat(queued(code)).as("an internal note is not mailed").hasSize(2);
    }

    private List<Mail> queued(String code) {
        return mongo.find(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("_id").regex("^citizen/.*" + code)),
                Mail.class).collectList().block();
    }

    @Test
    void aRuleThatPassesAnIncidentToAnOrganisationSendsItTheLinkToAnswerFrom() throws Exception {
        okPost("mail-admin", "/api/v1/organisations", Map.of("id", "mail_parks_co", "name", "Jardins del Bages",
                "email", "ordres@jardins.example.org"));
        String marker = "arbrecaigut" + REFS.incrementAndGet();
        okPost("mail-admin", "/api/v1/rules", Map.of("id", "mail_" + marker, "position", 1,
                "when", Map.of("words", List.of(marker)), "then", Map.of("organisation", "mail_parks_co")));
        JsonNode created = json(postAs("mail-admin", "/api/v1/incidents", Map.of("intake", "PHONE",
                "category", "parks_gardens", "description", "Un " + marker + " al parc de la Seu",
                "contact", Map.of("name", "Jana Riu", "phone", "+34600777888"))).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody());
        String code = created.get("code").asText();
        assertThat(created.get("organisation").asText()).isEqualTo("mail_parks_co");

        MimeMessage mail = awaitMail("ordres@jardins.example.org", m -> m.getSubject().contains(code)).get(0);
        assertThat(Mailbox.text(mail)).contains(Providers.PUBLIC_BASE + "/supplier/").doesNotContain("Jana")
                .doesNotContain("600777888");
    }

    // ---------------------------------------------------------------------------------------------------------

    private Incident incident(String category, String description) {
        Instant now = Instant.now();
        return incidents.report(new Incidents.Report("mail-test-" + REFS.incrementAndGet(), category, description,
                new Incident.Location("Carrer Major 12", null, null, "WRITTEN"), List.of(), Source.STAFF, null, null,
                null, null, null, new Incident.TimelineEntry(now, "CREATED", "mail-admin", "test"))).block();
    }

    private boolean departmentMissing(String id) {
        return department(id) == null;
    }

    private com.fasterxml.jackson.databind.JsonNode department(String id) {
        for (var d : okGet("mail-admin", "/api/v1/departments")) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        return null;
    }

    private com.fasterxml.jackson.databind.JsonNode user(String username) {
        for (var u : okGet("mail-admin", "/api/v1/users")) {
            if (u.get("username").asText().equals(username)) {
                return u;
            }
        }
        return null;
    }

    private List<Mail> queuedFor(Incident incident) {
        return mongo.find(query(where("_id").regex("^[a-z-]+/" + Pattern.quote(incident.code()) + "/")), Mail.class)
                .collectList().block();
    }

    private void awaitAllSent(Incident incident) {
        await().atMost(PATIENCE).until(() -> queuedFor(incident).stream()
                .allMatch(m -> m.status() == Mail.Status.SENT));
    }

    private static List<MimeMessage> awaitMail(String address, int count) {
        await().atMost(PATIENCE).until(() -> Mailbox.to(address).size() >= count);
        return Mailbox.to(address);
    }

    private static List<MimeMessage> awaitMail(String address, MailMatch match) {
        await().atMost(PATIENCE).until(() -> !matching(address, match).isEmpty());
        return matching(address, match);
    }

    private static List<MimeMessage> matching(String address, MailMatch match) {
        return Mailbox.to(address).stream().filter(m -> {
            try {
                return match.test(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static List<String> subjects(List<MimeMessage> mails) {
        return mails.stream().map(m -> {
            try {
                return m.getSubject();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @FunctionalInterface
    interface MailMatch {
        boolean test(MimeMessage message) throws Exception;
    }
}
