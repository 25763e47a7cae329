package org.civicbot.backoffice.web;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.civicbot.backoffice.query.IncidentQueries;
import org.civicbot.backoffice.query.IncidentStats;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.backoffice.staff.Department;
import org.civicbot.backoffice.staff.Departments;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Category;
import org.civicbot.flows.Language;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Mono;

/**
 * The incidents of a period at a glance: the figures of {@link IncidentStats} for a date range and a department,
 * as cards and charts, each chart with its table beside it for whoever reads rather than looks. Every figure links
 * to the list with the same filter, so the two can be compared.
 */
@Controller
class DashboardPage {

    private final IncidentStats stats;
    private final org.civicbot.backoffice.query.ConversationStats conversations;
    private final CurrentStaff staff;
    private final Departments departments;
    private final Categories categories;
    private final TownTime time;
    private final MessageSource messages;
    private final Clock clock;

    private final org.civicbot.bot.appointment.Appointments appointments;

    DashboardPage(IncidentStats stats, org.civicbot.backoffice.query.ConversationStats conversations,
            CurrentStaff staff, Departments departments, Categories categories, TownTime time, MessageSource messages,
            Clock clock, org.civicbot.bot.appointment.Appointments appointments) {
        this.appointments = appointments;
        this.stats = stats;
        this.conversations = conversations;
        this.staff = staff;
        this.departments = departments;
        this.categories = categories;
        this.time = time;
        this.messages = messages;
        this.clock = clock;
    }

    /** A chart's bars: their labels (human words) and their values, in order. */
    record Series(Map<String, Long> values) {
        public String labels() {
            return json(values.keySet());
        }

        public String data() {
            return values.values().toString();
        }

        private static String json(java.util.Collection<String> texts) {
            StringBuilder out = new StringBuilder("[");
            for (String text : texts) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return out.append(']').toString();
        }
    }

    @GetMapping("/dashboard")
    Mono<String> page(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String department, Model model) {
        Locale locale = Locale.forLanguageTag(String.valueOf(model.getAttribute("lang")));
        Language language = Language.fromCode(locale.getLanguage()).orElse(Language.DEFAULT);
        String dept = department == null || department.isBlank() ? null : department.strip();
        IncidentQueries.Filter filter = new IncidentQueries.Filter(null, null, null, dept,
                time.startOf(from).orElse(null), time.endOf(to).orElse(null), null);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("department", dept);
        model.addAttribute("departments", departments.all().collectList());
        model.addAttribute("appointments", appointments.figures(filter.from(), filter.to(), null));
        model.addAttribute("listUrl", "/incidents?status=NEW&status=IN_PROGRESS&status=CLOSED"
                + (from == null || from.isBlank() ? "" : "&from=" + from) + (to == null || to.isBlank() ? "" : "&to=" + to)
                + (dept == null ? "" : "&department=" + dept));
        return staff.scope().flatMap(scope -> stats.of(scope, filter, clock.instant()).zipWith(
                        conversations.of(scope, filter.from(), filter.to(), dept), IncidentStats.Stats::with))
                .zipWith(categories.all().collectMap(Category::id, c -> c.label(language)))
                .zipWith(departments.all().collectMap(Department::id, Department::name))
                .map(t -> {
                    IncidentStats.Stats s = t.getT1().getT1();
                    model.addAttribute("stats", s);
                    Map<String, Series> charts = new LinkedHashMap<>();
                    charts.put("status", new Series(named(s.byStatus(), k -> say("status." + k, locale))));
                    charts.put("category", new Series(named(s.byCategory(),
                            k -> t.getT1().getT2().getOrDefault(k, k))));
                    charts.put("department", new Series(named(s.byDepartment(),
                            k -> k.equals("none") ? say("incident.noDepartment", locale) : t.getT2().getOrDefault(k, k))));
                    charts.put("source", new Series(named(s.bySource(), k -> say("source." + k, locale))));
                    charts.put("outcome", new Series(named(s.byOutcome(), k -> say("outcome." + k, locale))));
                    charts.put("channel", new Series(named(s.conversations().messagesInByChannel(),
                            k -> say("source." + k, locale))));
                    model.addAttribute("charts", charts);
                    model.addAttribute("newPerWeek", new Series(weeks(s, s.newPerWeek())));
                    model.addAttribute("closedPerWeek", new Series(weeks(s, s.closedPerWeek())));
                    model.addAttribute("open", s.byStatus().getOrDefault("NEW", 0L)
                            + s.byStatus().getOrDefault("IN_PROGRESS", 0L));
                    return "dashboard";
                });
    }

    /** A weekly series over every week either has, so new and closed share their axis. */
    private static Map<String, Long> weeks(IncidentStats.Stats s, Map<String, Long> series) {
        java.util.TreeMap<String, Long> all = new java.util.TreeMap<>();
        s.newPerWeek().keySet().forEach(w -> all.put(w, 0L));
        s.closedPerWeek().keySet().forEach(w -> all.put(w, 0L));
        all.putAll(series);
        return all;
    }

    private static Map<String, Long> named(Map<String, Long> counts, java.util.function.Function<String, String> name) {
        Map<String, Long> named = new LinkedHashMap<>();
        counts.forEach((k, v) -> named.merge(name.apply(k), v, Long::sum));
        return named;
    }

    private String say(String key, Locale locale) {
        return messages.getMessage(key, null, key, locale);
    }
}
