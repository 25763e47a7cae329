package org.civicbot.channels.device;

import org.civicbot.bot.device.DeviceAlerts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The device bridge's routes; always on: admins add devices to the registry, configuration seeds an empty one. */
@Configuration(proxyBeanMethods = false)
class DeviceBridgeConfiguration {

    @Bean
    RouterFunction<ServerResponse> deviceAlertRoutes(DeviceAlerts deviceAlerts) {
        return new DeviceAlertEndpoint(deviceAlerts).routes();
    }
}
