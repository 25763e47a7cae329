package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Map;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.announcement.Announcement;
import org.civicbot.bot.announcement.Announcements;
import org.civicbot.bot.announcement.Catalogue;
import org.civicbot.bot.announcement.NamedArea;
import org.civicbot.bot.announcement.Topic;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * "Notify me when": the topics citizens subscribe to, the areas of the town, and the announcements sent to the
 * subscribers, with how their delivery is going.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Announcements", description = "Notice topics, areas, and announcements to their subscribers")
class AnnouncementApi {

    private final Catalogue catalogue;
    private final Announcements announcements;
    private final CurrentStaff staff;

    AnnouncementApi(Catalogue catalogue, Announcements announcements, CurrentStaff staff) {
        this.catalogue = catalogue;
        this.announcements = announcements;
        this.staff = staff;
    }

    /** A topic: {@code {"id": "waste", "labels": {"ca": ..., "es": ..., "en": ...}}}. */
    record TopicView(String id, Map<String, String> labels) {}

    /** An area: {@code {"id": "centre", "name": "Centre", "geometry": <GeoJSON Polygon>}}. */
    record AreaView(String id, String name, Map<String, Object> geometry) {}

    /** What staff announce; {@code sendAt} null: now. */
    record AnnouncementForm(String topic, String area, Map<String, String> text, String link, Instant sendAt,
            Instant validUntil) {}

    /** Where an announcement stands. */
    record AnnouncementView(String id, String topic, String area, Map<String, String> text, String link,
            Instant sendAt, Instant validUntil, String status, int recipients, long queued, long sent,
            long delivered, long read, long failed, long held) {}

    @GetMapping("/topics")
    @Operation(summary = "The notice topics citizens subscribe to")
    Flux<TopicView> topics() {
        return catalogue.topics().map(t -> new TopicView(t.id(), t.labels()));
    }

    @PostMapping("/topics")
    @Operation(summary = "Add a topic or change its labels (ca, es and en); 400 with the reason")
    Mono<TopicView> saveTopic(@RequestBody TopicView topic) {
        return catalogue.save(new Topic(topic.id(), topic.labels())).map(t -> new TopicView(t.id(), t.labels()));
    }

    @GetMapping("/areas")
    @Operation(summary = "The areas of the town a notice can be for")
    Flux<AreaView> areas() {
        return catalogue.areas().map(AnnouncementApi::view);
    }

    @PostMapping("/areas")
    @Operation(summary = "Add an area or change it; its geometry a GeoJSON Polygon or MultiPolygon; 400 with the reason")
    Mono<AreaView> saveArea(@RequestBody AreaView area) {
        return catalogue.save(new NamedArea(area.id(), area.name(), area.geometry() == null ? null
                : new org.bson.Document(area.geometry()).toJson())).map(AnnouncementApi::view);
    }

    @PostMapping("/announcements")
    @Operation(summary = "Announce to a topic's subscribers (in an area, or all), now or at sendAt; 201 with its id")
    Mono<ResponseEntity<Map<String, String>>> announce(@RequestBody AnnouncementForm form) {
        return staff.scope().flatMap(scope -> announcements.create(new Announcements.Draft(form.topic(), form.area(),
                        form.text(), form.link(), form.sendAt(), form.validUntil()), scope.username()))
                // Due now: put in the outbox at once rather than at the next round.
                .flatMap(created -> announcements.sendDue().onErrorResume(e -> Mono.empty()).thenReturn(created))
                .map(created -> ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", created.id())));
    }

    @GetMapping("/announcements/{id}")
    @Operation(summary = "An announcement and how its delivery is going: recipients, queued, sent, delivered, read, "
            + "failed, held (waiting for the citizen to write, outside WhatsApp's window)")
    Mono<AnnouncementView> announcement(@PathVariable String id) {
        return announcements.find(id)
                .switchIfEmpty(Mono.error(new org.springframework.web.server.ResponseStatusException(
                        HttpStatus.NOT_FOUND, "no announcement " + id)))
                .flatMap(a -> announcements.report(a).map(r -> view(a, r)));
    }

    private static AnnouncementView view(Announcement a, Announcements.Report r) {
        return new AnnouncementView(a.id(), a.topic(), a.area(), a.text(), a.link(), a.sendAt(), a.validUntil(),
                r.status(), r.recipients(), r.queued(), r.sent(), r.delivered(), r.read(), r.failed(), r.held());
    }

    private static AreaView view(NamedArea area) {
        try {
            return new AreaView(area.id(), area.name(), org.bson.Document.parse(area.geometry()));
        } catch (RuntimeException e) {
            return new AreaView(area.id(), area.name(), null);
        }
    }
}
