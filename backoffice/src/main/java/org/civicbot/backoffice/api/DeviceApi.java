package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Map;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.device.AlertType;
import org.civicbot.bot.device.Device;
import org.civicbot.bot.device.DeviceRegistry;
import org.civicbot.bot.device.MongoDeviceAlerts;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The device registry and the alert types, for admins: a device's token and signing secret are answered once, when
 * it is added or rotated; a revoked device is refused at its next alert.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Devices", description = "The device registry and what their alerts do")
class DeviceApi {

    private final DeviceRegistry registry;
    private final MongoDeviceAlerts alerts;
    private final CurrentStaff staff;

    DeviceApi(DeviceRegistry registry, MongoDeviceAlerts alerts, CurrentStaff staff) {
        this.registry = registry;
        this.alerts = alerts;
        this.staff = staff;
    }

    /** A device as the API reads it: never its token nor its secret. */
    record DeviceView(String id, String type, String name, String assetId, String department,
            boolean requireSignature, boolean revoked, Instant createdAt, Instant rotatedAt, Instant revokedAt,
            Instant lastSeenAt, long alertCount) {
        static DeviceView of(Device d) {
            return new DeviceView(d.id(), d.type(), d.name(), d.assetId(), d.department(), d.signs(),
                    !d.active(), d.createdAt(), d.rotatedAt(), d.revokedAt(), d.lastSeenAt(),
                    d.alertCount() == null ? 0 : d.alertCount());
        }
    }

    /** A device to add ({@code requireSignature}: refuse its unsigned alerts). */
    record NewDevice(String id, String type, String name, String assetId, String department,
            Boolean requireSignature) {}

    /** What a device is given once. */
    record Issued(DeviceView device, String token, String signingSecret) {
        static Issued of(DeviceRegistry.Issued i) {
            return new Issued(DeviceView.of(i.device()), i.token(), i.signingSecret());
        }
    }

    @GetMapping("/devices")
    @Operation(summary = "The devices: type, asset, department, last seen, alerts posted, revoked or not")
    Flux<DeviceView> devices() {
        return registry.all().map(DeviceView::of);
    }

    @PostMapping("/devices")
    @Operation(summary = "Add a device; the answer is the only time its token and signing secret are shown")
    Mono<ResponseEntity<Issued>> add(@RequestBody NewDevice d) {
        return staff.scope().flatMap(me -> registry.add(new DeviceRegistry.NewDevice(d.id(), d.type(), d.name(),
                        d.assetId(), d.department(), Boolean.TRUE.equals(d.requireSignature())), me.username()))
                .map(i -> ResponseEntity.status(HttpStatus.CREATED).body(Issued.of(i)));
    }

    @PostMapping("/devices/{id}/token")
    @Operation(summary = "A new token and signing secret: the old ones are refused from now on")
    Mono<Issued> rotate(@PathVariable String id) {
        return registry.rotate(id).map(Issued::of);
    }

    @DeleteMapping("/devices/{id}")
    @Operation(summary = "Revoke a device: its next alert is refused (401)")
    Mono<DeviceView> revoke(@PathVariable String id) {
        return registry.revoke(id).map(DeviceView::of);
    }

    @GetMapping("/device-alert-types")
    @Operation(summary = "What each type of alert does")
    Flux<AlertType> types() {
        return alerts.types();
    }

    /**
     * A type as admins write it.
     *
     * @param action {@code INCIDENT}, {@code NOTICE} or {@code ANNOUNCE}
     * @param texts an announcement's words by language code; {@code {asset}} and {@code {message}} are filled in
     */
    record TypeRequest(AlertType.Action action, String category, String department, String priority,
            Boolean closeOnResolve, String topic, String area, Map<String, String> texts) {}

    @PutMapping("/device-alert-types/{type}")
    @Operation(summary = "Create or change what an alert type does")
    Mono<AlertType> saveType(@PathVariable String type, @RequestBody TypeRequest t) {
        return alerts.save(new AlertType(type, t.action(), t.category(), t.department(), t.priority(),
                t.closeOnResolve(), t.topic(), t.area(), t.texts()));
    }

    @ExceptionHandler(DeviceRegistry.Invalid.class)
    ProblemDetail invalid(DeviceRegistry.Invalid e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(DeviceRegistry.NotFound.class)
    ProblemDetail notFound(DeviceRegistry.NotFound e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(DeviceRegistry.Conflict.class)
    ProblemDetail conflict(DeviceRegistry.Conflict e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
