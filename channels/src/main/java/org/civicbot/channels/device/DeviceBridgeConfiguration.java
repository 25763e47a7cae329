package org.civicbot.channels.device;

import org.civicbot.bot.device.DeviceAlerts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The device bridge's routes; always on: admins add devices to the registry, configuration seeds an empty one. */
@Configuration(proxyBeanMethods = false)
class DeviceBridgeConfiguration {

    /** @param perMinute requests one device may make a minute ({@code civicbot.device-alerts.per-minute}) */
    @Bean
    RouterFunction<ServerResponse> deviceAlertRoutes(DeviceAlerts deviceAlerts,
            org.civicbot.bot.device.DeviceRegistry registry, org.civicbot.bot.RateLimits limits,
            @org.springframework.beans.factory.annotation.Value("${civicbot.device-alerts.per-minute:120}")
            int perMinute) {
        return new DeviceAlertEndpoint(deviceAlerts, registry, limits, perMinute).routes();
    }
}
