package org.civicbot.backoffice.web;

import java.util.List;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.device.AlertType;
import org.civicbot.bot.device.Device;
import org.civicbot.bot.device.DeviceRegistry;
import org.civicbot.bot.device.MongoDeviceAlerts;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The device registry for admins: the devices with when they were last seen and how many alerts they posted; adding
 * one, rotating its token, revoking it. A token and signing secret are shown once, on the page that answers the add
 * or the rotation, and kept nowhere readable.
 */
@Controller
class DevicesPage {

    static final String PAGE = "/admin/devices";

    private final DeviceRegistry registry;
    private final MongoDeviceAlerts alerts;
    private final CurrentStaff staff;
    private final TownTime time;

    DevicesPage(DeviceRegistry registry, MongoDeviceAlerts alerts, CurrentStaff staff, TownTime time) {
        this.registry = registry;
        this.alerts = alerts;
        this.staff = staff;
        this.time = time;
    }

    /** A device as the list shows it. */
    record Row(String id, String type, String name, String assetId, String department, boolean signs, boolean active,
            String lastSeen, long alerts) {
        static Row of(Device d, TownTime time) {
            return new Row(d.id(), d.type(), d.name(), d.assetId(), d.department(), d.signs(), d.active(),
                    d.lastSeenAt() == null ? "—" : time.format(d.lastSeenAt()),
                    d.alertCount() == null ? 0 : d.alertCount());
        }
    }

    /** What to show once after an add or a rotation. */
    record Issued(String id, String token, String signingSecret) {}

    @GetMapping(PAGE)
    Mono<String> page(Model model, ServerWebExchange exchange) {
        model.addAttribute("flash", Flash.take(exchange));
        return render(model, null);
    }

    private Mono<String> render(Model model, Issued issued) {
        model.addAttribute("issued", issued);
        return registry.all().map(d -> Row.of(d, time)).collectList().zipWith(alerts.types().collectList())
                .map(t -> {
                    model.addAttribute("devices", t.getT1());
                    model.addAttribute("types", t.getT2());
                    return "devices";
                });
    }

    /** The add form. */
    record AddForm(String id, String type, String name, String assetId, String department, Boolean requireSignature) {}

    @PostMapping(PAGE)
    Mono<String> add(@ModelAttribute AddForm form, Model model, ServerWebExchange exchange) {
        return staff.scope().flatMap(me -> registry.add(new DeviceRegistry.NewDevice(form.id(), form.type(),
                        form.name(), form.assetId(), form.department(), Boolean.TRUE.equals(form.requireSignature())),
                        me.username()))
                .flatMap(i -> render(model, new Issued(i.device().id(), i.token(), i.signingSecret())))
                .onErrorResume(DeviceRegistry.Invalid.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), PAGE))
                .onErrorResume(DeviceRegistry.Conflict.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), PAGE));
    }

    @PostMapping(PAGE + "/{id}/token")
    Mono<String> rotate(@PathVariable String id, Model model, ServerWebExchange exchange) {
        return registry.rotate(id).flatMap(i -> render(model, new Issued(id, i.token(), i.signingSecret())))
                .onErrorResume(DeviceRegistry.NotFound.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), PAGE));
    }

    @PostMapping(PAGE + "/{id}/revoke")
    Mono<String> revoke(@PathVariable String id, ServerWebExchange exchange) {
        return registry.revoke(id).flatMap(d -> Flash.redirect(exchange, Flash.ok("flash.deviceRevoked", id), PAGE))
                .onErrorResume(DeviceRegistry.NotFound.class, e -> Flash.redirect(exchange,
                        Flash.error("flash.refused", e.getMessage()), PAGE));
    }

    static List<AlertType.Action> actions() {
        return List.of(AlertType.Action.values());
    }
}
