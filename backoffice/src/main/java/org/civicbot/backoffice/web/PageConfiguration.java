package org.civicbot.backoffice.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.i18n.LocaleContextResolver;

/** The pages' language choice, as the locale resolver of every request and the filter that remembers it. */
@Configuration(proxyBeanMethods = false)
class PageConfiguration {

    /** The name Spring WebFlux looks up for the exchange's locale. */
    @Bean
    LocaleContextResolver localeContextResolver() {
        return new PageLocales();
    }

    @Bean
    WebFilter languageCookie() {
        return PageLocales::remember;
    }
}
