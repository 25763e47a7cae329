package org.civicbot.channels.device;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.civicbot.bot.device.DeviceAlert;

/** Reads and checks the JSON body of a device alert, collecting every field error at once. */
final class DeviceAlertRequest {

    static final int MAX_ID_LENGTH = 100;
    static final int MAX_MESSAGE_LENGTH = 2000;

    private final Map<String, String> errors = new LinkedHashMap<>();
    private final JsonNode body;

    private DeviceAlertRequest(JsonNode body) {
        this.body = body;
    }

    /** The alert, or the field errors that keep it from being one. */
    record Result(DeviceAlert alert, Map<String, String> errors) {}

    static Result read(JsonNode body) {
        return new DeviceAlertRequest(body).read();
    }

    private Result read() {
        if (body == null || !body.isObject()) {
            return new Result(null, Map.of("body", "must be a JSON object"));
        }
        String alertId = text("alertId", true, MAX_ID_LENGTH);
        String type = text("type", true, MAX_ID_LENGTH);
        String message = text("message", true, MAX_MESSAGE_LENGTH);
        String assetId = text("assetId", false, MAX_ID_LENGTH);
        Double latitude = number("latitude", -90, 90);
        Double longitude = number("longitude", -180, 180);
        if ((latitude == null) != (longitude == null) && !errors.containsKey("latitude")
                && !errors.containsKey("longitude")) {
            errors.put(latitude == null ? "latitude" : "longitude", "latitude and longitude go together: give both or neither");
        }
        Instant occurredAt = instant("occurredAt");
        String state = text("state", false, 20);
        if (state != null && !state.equals("active") && !state.equals("resolved")) {
            errors.put("state", "must be active (the default) or resolved");
        }
        if (!errors.isEmpty()) {
            return new Result(null, Map.copyOf(errors));
        }
        return new Result(new DeviceAlert(alertId, type, message, latitude, longitude, occurredAt, assetId,
                "resolved".equals(state)), Map.of());
    }

    private String text(String field, boolean required, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.put(field, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.put(field, "must be a string");
            return null;
        }
        String value = node.textValue();
        if (required && value.isBlank()) {
            errors.put(field, "must not be blank");
        } else if (value.length() > maxLength) {
            errors.put(field, "must be at most " + maxLength + " characters");
        }
        return value.isBlank() ? null : value;
    }

    private Double number(String field, double min, double max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            errors.put(field, "must be a number");
            return null;
        }
        double value = node.doubleValue();
        if (value < min || value > max) {
            errors.put(field, "must be between " + (int) min + " and " + (int) max);
            return null;
        }
        return value;
    }

    private Instant instant(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            errors.put(field, "must be an ISO-8601 instant such as 2026-11-22T10:00:00Z");
            return null;
        }
    }
}
