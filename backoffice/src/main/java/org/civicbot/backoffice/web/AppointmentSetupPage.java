package org.civicbot.backoffice.web;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.civicbot.bot.appointment.AppointmentService;
import org.civicbot.bot.appointment.Appointments;
import org.civicbot.bot.appointment.Office;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Admins set up appointments: the offices (opening hours per weekday, yearly holidays, closures) and the services
 * citizens book (names and what to bring in ca/es/en, offices, length, seats, how far ahead, how much notice). The
 * same checks as the API's ({@code PUT /api/v1/appointment-offices/{id}}, {@code .../appointment-services/{id}}).
 */
@Controller
class AppointmentSetupPage {

    static final String PAGE = "/admin/appointments";
    static final List<String> LANGUAGES = List.of("ca", "es", "en");

    private final Appointments appointments;

    AppointmentSetupPage(Appointments appointments) {
        this.appointments = appointments;
    }

    /** An office as its form shows it: each weekday's ranges, holidays and closures as comma lists. */
    record OfficeForm(String id, String name, String address, Map<String, String> hours, String holidays,
            String closures) {
        static OfficeForm of(Office o) {
            Map<String, String> hours = new LinkedHashMap<>();
            for (DayOfWeek day : DayOfWeek.values()) {
                hours.put(day.name(), String.join(", ", o.hours().getOrDefault(day.name(), List.of())));
            }
            return new OfficeForm(o.id(), o.name(), o.address(), hours, String.join(", ", o.holidays()),
                    String.join(", ", o.closures()));
        }

        static OfficeForm empty() {
            Map<String, String> hours = new LinkedHashMap<>();
            for (DayOfWeek day : DayOfWeek.values()) {
                hours.put(day.name(), day.getValue() <= 5 ? "09:00-14:00" : "");
            }
            return new OfficeForm("", "", "", hours, "01-01, 05-01, 09-11, 12-25, 12-26", "");
        }

        /** "dl. 09:00–14:00 · dj. 16:00–19:00", for the list. */
        public String summary(Locale locale) {
            List<String> days = new ArrayList<>();
            hours.forEach((day, ranges) -> {
                if (!ranges.isBlank()) {
                    days.add(DayOfWeek.valueOf(day).getDisplayName(java.time.format.TextStyle.SHORT, locale) + " "
                            + ranges);
                }
            });
            return String.join(" · ", days);
        }
    }

    /** A service as its form shows it. */
    record ServiceForm(String id, Map<String, String> names, Map<String, String> bring, List<String> offices,
            int minutes, int seats, int horizonDays, int noticeHours, boolean active) {
        static ServiceForm of(AppointmentService s) {
            return new ServiceForm(s.id(), s.names(), s.bring(), s.offices(), s.minutes(), s.seats(),
                    s.horizonDays(), s.noticeHours(), s.active());
        }

        static ServiceForm empty() {
            return new ServiceForm("", Map.of(), Map.of(), List.of(), 15, 1, 30, 2, true);
        }
    }

    @GetMapping(PAGE)
    Mono<String> page(@RequestParam(required = false) String office, @RequestParam(required = false) String service,
            Model model, ServerWebExchange exchange) {
        model.addAttribute("flash", Flash.take(exchange));
        return render(model, exchange, office, null, service, null);
    }

    /**
     * The page with the office and service forms: the one named by id to edit, or what was just sent and refused
     * ({@code sentOffice}, {@code sentService}), so nothing typed is lost.
     */
    private Mono<String> render(Model model, ServerWebExchange exchange, String office, OfficeForm sentOffice,
            String service, ServiceForm sentService) {
        Locale locale = java.util.Optional.ofNullable(exchange.getLocaleContext().getLocale())
                .orElse(Locale.forLanguageTag("ca"));
        model.addAttribute("weekdays", Arrays.stream(DayOfWeek.values()).map(d -> Map.of("id", d.name(), "name",
                d.getDisplayName(java.time.format.TextStyle.FULL, locale))).toList());
        model.addAttribute("languages", LANGUAGES);
        model.addAttribute("locale", locale);
        return Mono.zip(appointments.offices().collectList(), appointments.services().collectList()).map(t -> {
            List<OfficeForm> offices = t.getT1().stream().map(OfficeForm::of).toList();
            model.addAttribute("offices", offices);
            model.addAttribute("officeNames", t.getT1().stream().collect(java.util.stream.Collectors.toMap(Office::id,
                    Office::name)));
            model.addAttribute("services", t.getT2().stream().map(ServiceForm::of).toList());
            model.addAttribute("officeForm", sentOffice != null ? sentOffice : t.getT1().stream()
                    .filter(o -> o.id().equals(office)).findFirst().map(OfficeForm::of).orElse(OfficeForm.empty()));
            model.addAttribute("editingOffice", offices.stream().anyMatch(o -> o.id().equals(
                    sentOffice != null ? sentOffice.id() : office)));
            model.addAttribute("serviceForm", sentService != null ? sentService : t.getT2().stream()
                    .filter(s -> s.id().equals(service)).findFirst().map(ServiceForm::of)
                    .orElse(ServiceForm.empty()));
            model.addAttribute("editingService", t.getT2().stream().anyMatch(s -> s.id().equals(
                    sentService != null ? sentService.id() : service)));
            return "appointment-setup";
        });
    }

    @PostMapping(PAGE + "/offices")
    Mono<String> saveOffice(Model model, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            Map<String, List<String>> hours = new LinkedHashMap<>();
            for (DayOfWeek day : DayOfWeek.values()) {
                List<String> ranges = list(form.getFirst("hours_" + day.name()));
                if (!ranges.isEmpty()) {
                    hours.put(day.name(), ranges);
                }
            }
            Office office = new Office(text(form, "id"), text(form, "name"), text(form, "address"), hours,
                    list(form.getFirst("holidays")), list(form.getFirst("closures")));
            return appointments.save(office).flatMap(saved -> Flash.redirect(exchange,
                            Flash.ok("flash.officeSaved", saved.name()), PAGE))
                    .onErrorResume(Appointments.Invalid.class, e -> {
                        model.addAttribute("flash", Flash.error("flash.refused", e.getMessage()));
                        return render(model, exchange, null, OfficeForm.of(office), null, null);
                    });
        });
    }

    @PostMapping(PAGE + "/services")
    Mono<String> saveService(Model model, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            Map<String, String> names = new LinkedHashMap<>();
            Map<String, String> bring = new LinkedHashMap<>();
            for (String language : LANGUAGES) {
                names.put(language, text(form, "name_" + language));
                String what = text(form, "bring_" + language);
                if (!what.isEmpty()) {
                    bring.put(language, what);
                }
            }
            List<String> offices = form.getOrDefault("offices", List.of());
            AppointmentService service = new AppointmentService(text(form, "id"), names, bring, offices,
                    number(form, "minutes"), number(form, "seats"), number(form, "horizonDays"),
                    number(form, "noticeHours"), form.containsKey("active"));
            return appointments.save(service).flatMap(saved -> Flash.redirect(exchange,
                            Flash.ok("flash.serviceSaved", saved.name("ca")), PAGE))
                    .onErrorResume(Appointments.Invalid.class, e -> {
                        model.addAttribute("flash", Flash.error("flash.refused", e.getMessage()));
                        return render(model, exchange, null, null, null, ServiceForm.of(service));
                    });
        });
    }

    private static String text(MultiValueMap<String, String> form, String name) {
        String value = form.getFirst(name);
        return value == null ? "" : value.strip();
    }

    private static int number(MultiValueMap<String, String> form, String name) {
        try {
            return Integer.parseInt(text(form, name));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** "09:00-14:00, 16:00-19:00" as its parts. */
    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split("[,;\\n]")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }
}
