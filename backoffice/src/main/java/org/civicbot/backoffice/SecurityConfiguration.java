package org.civicbot.backoffice;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Who may call what. Providers and devices prove themselves in their own way (signature, secret header,
 * device token), checked by their handlers, so their paths pass here and skip CSRF; everything under
 * {@code /api/v1} needs a staff user (HTTP Basic for scripts).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        return http
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/webhooks/**").permitAll()
                        .pathMatchers(HttpMethod.POST, "/api/v1/device-alerts").permitAll()
                        .pathMatchers("/actuator/health/**", "/actuator/health").permitAll()
                        .pathMatchers("/api/v1/**").authenticated()
                        .anyExchange().authenticated())
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(ServerWebExchangeMatchers.pathMatchers(
                        HttpMethod.POST, "/login", "/logout", "/admin/**", "/conversations/**", "/incidents/**")))
                .httpBasic(basic -> {})
                .formLogin(form -> {})
                .build();
    }
}
