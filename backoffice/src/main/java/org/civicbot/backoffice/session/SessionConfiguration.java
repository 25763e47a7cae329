package org.civicbot.backoffice.session;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionIdResolver;
import org.springframework.web.server.session.WebSessionManager;

/** WebFlux keeps its sessions in {@link StaffSessions}; the cookie stays Boot's ({@code server.reactive.session.cookie.*}). */
@Configuration(proxyBeanMethods = false)
class SessionConfiguration {

    /** Under the name WebFlux looks up, in place of Boot's in-memory store. */
    @Bean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
    WebSessionManager webSessionManager(WebSessionIdResolver cookie, StaffSessions sessions) {
        DefaultWebSessionManager manager = new DefaultWebSessionManager();
        manager.setSessionIdResolver(cookie);
        manager.setSessionStore(sessions);
        return manager;
    }
}
