package org.civicbot.backoffice.web;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.civicbot.bot.incident.Incident;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import reactor.core.publisher.Mono;

/**
 * An asset's page (a container, a truck's route): its incidents, every alert its devices sent (counted on an incident
 * or kept as a notice for staff) over time, the alerts of the last 30 days per day, and where it was last seen.
 */
@Controller
class AssetPage {

    static final int DAYS = 30;
    static final int EVENTS = 200;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM");

    private final ReactiveMongoTemplate mongo;
    private final org.civicbot.bot.incident.Categories categories;
    private final TownTime time;
    private final Clock clock;

    AssetPage(ReactiveMongoTemplate mongo, org.civicbot.bot.incident.Categories categories, TownTime time,
            Clock clock) {
        this.categories = categories;
        this.mongo = mongo;
        this.time = time;
        this.clock = clock;
    }

    /** An incident of the asset. */
    record IncidentRow(String code, String status, String category, int alerts, String opened, int linked) {}

    /** An alert of the asset: counted on an incident, or a notice for staff. */
    record Event(Instant at, String when, String device, String text, String incident) {}

    @GetMapping("/assets/{asset}")
    Mono<String> page(@PathVariable String asset, Model model) {
        model.addAttribute("asset", asset);
        org.civicbot.flows.Language language = org.civicbot.flows.Language.fromCode(String.valueOf(
                model.getAttribute("lang"))).orElse(org.civicbot.flows.Language.DEFAULT);
        Mono<List<Incident>> incidents = mongo.find(query(where("assetId").is(asset))
                .with(Sort.by(Sort.Direction.DESC, "createdAt")).limit(100), Incident.class).collectList();
        Mono<List<Document>> notices = mongo.find(query(where("asset").is(asset))
                .with(Sort.by(Sort.Direction.DESC, "at")).limit(EVENTS), Document.class, "device_notices").collectList();
        Mono<Map<String, String>> labels = categories.all().collectMap(c -> c.id(), c -> c.label(language));
        return Mono.zip(incidents, notices, labels).map(t -> {
            List<Event> events = new ArrayList<>();
            double[] where = null;
            Instant seen = Instant.MIN;
            for (Incident i : t.getT1()) {
                for (Incident.TimelineEntry e : i.timeline()) {
                    if (e.ref() != null && e.ref().startsWith("device:")) {
                        events.add(new Event(e.at(), time.format(e.at()), e.actor(), e.text(), i.code()));
                    }
                }
                if (i.location() != null && i.location().latitude() != null && i.createdAt().isAfter(seen)) {
                    seen = i.createdAt();
                    where = new double[] {i.location().latitude(), i.location().longitude()};
                }
            }
            for (Document n : t.getT2()) {
                Instant at = n.getDate("at").toInstant();
                events.add(new Event(at, time.format(at), n.getString("device"), "[" + n.getString("type") + "] "
                        + n.getString("message"), null));
                if (n.getDouble("latitude") != null && at.isAfter(seen)) {
                    seen = at;
                    where = new double[] {n.getDouble("latitude"), n.getDouble("longitude")};
                }
            }
            events.sort(Comparator.comparing(Event::at).reversed());
            // The last 30 days, a bar a day, so a sensor that starts shouting stands out.
            LocalDate today = clock.instant().atZone(time.zone()).toLocalDate();
            Map<LocalDate, Long> perDay = new LinkedHashMap<>();
            for (int d = DAYS - 1; d >= 0; d--) {
                perDay.put(today.minusDays(d), 0L);
            }
            events.forEach(e -> perDay.computeIfPresent(e.at().atZone(time.zone()).toLocalDate(), (k, v) -> v + 1));
            model.addAttribute("incidents", t.getT1().stream().map(i -> new IncidentRow(i.code(), i.status().name(),
                    t.getT3().getOrDefault(i.category(), i.category()), i.alertCount() == null ? 1 : i.alertCount(),
                    time.format(i.createdAt()),
                    i.linked() == null ? 0 : i.linked().size())).toList());
            model.addAttribute("events", events.stream().limit(EVENTS).toList());
            model.addAttribute("days", json(perDay.keySet().stream().map(DAY::format).toList()));
            model.addAttribute("counts", perDay.values().toString());
            model.addAttribute("where", where);
            return "asset";
        });
    }

    private static String json(List<String> texts) {
        return "[" + String.join(",", texts.stream().map(s -> "\"" + s + "\"").toList()) + "]";
    }
}
