package org.civicbot.backoffice;

import org.civicbot.backoffice.staff.StaffAuthentication;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.ServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import reactor.core.publisher.Mono;

/**
 * Who may call what.
 * <ul>
 *   <li>Providers and devices prove themselves their own way (signature, secret header, device token),
 *       checked by their handlers: their paths pass here and skip CSRF.</li>
 *   <li>Staff pages: form login and a session; every form and every state-changing request carries the
 *       CSRF token. Nothing an anonymous visitor does starts a session: the login form's token and the
 *       page to return to after signing in are kept in cookies.</li>
 *   <li>{@code /api/v1/**}: the same session for the pages, or HTTP Basic for scripts (a request that
 *       brings its own credentials is not a cross-site forgery, so Basic requests skip CSRF). Refusals are
 *       problem JSON without a Basic challenge ({@link Refusals}).</li>
 * </ul>
 * Agents, supervisors and editors sign in; administration is for admins. A staff member whose password
 * was generated or reset by an admin holds no role until they change it, so every page but the
 * change-password page sends them there. Pages are never cached, and security headers keep them out of
 * frames and other sites' scripts.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    /** Every role; a staff member who must change their password holds none of them. */
    static final String[] ROLES = {"AGENT", "SUPERVISOR", "EDITOR", "COMMUNICATIONS", "ADMIN", "SUPPLIER", "DPO"};

    /** Tiles come from the configured tile server; everything else from us. */
    static final String CSP = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    /**
     * The content security policy, letting images in over plain http only from the places configured to serve them
     * so (a tile server or a logo on the town's own network): https images are allowed anyway.
     */
    static String csp(String... imageUrls) {
        StringBuilder http = new StringBuilder();
        for (String url : imageUrls) {
            if (url != null && url.startsWith("http://")) {
                // The origin as written: scheme, host (a {s} subdomain, a..c, becomes *), port.
                String rest = url.substring("http://".length());
                int end = rest.indexOf('/');
                String origin = (end < 0 ? rest : rest.substring(0, end)).replace("{s}", "*");
                if (!origin.matches("[A-Za-z0-9.*-]+(:[0-9]{1,5})?")) {
                    throw new IllegalArgumentException("civicbot.map.tile-url or civicbot.town.logo-url is not an "
                            + "http(s) address: " + url);
                }
                http.append(" http://").append(origin);
            }
        }
        return http.isEmpty() ? CSP : CSP.replace("img-src 'self' data: https:;", "img-src 'self' data: https:" + http
                + ";");
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Where a signed-in staff member is kept between requests: their session. */
    @Bean
    ServerSecurityContextRepository sessionContexts() {
        return new WebSessionServerSecurityContextRepository();
    }

    /** The CSRF token is also read from a multipart form (the supplier page sends photos with it). */
    private static org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler
            multipartTokens() {
        var handler = new org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler();
        handler.setTokenFromMultipartDataEnabled(true);
        return handler;
    }

    /**
     * What providers, devices and Open311 clients call: each proves itself in its own handler (the provider's
     * signature or secret, the device's token, the client's api_key), never with a staff login.
     */
    static final ServerWebExchangeMatcher PROVIDERS = ServerWebExchangeMatchers.matchers(
            ServerWebExchangeMatchers.pathMatchers("/webhooks/**"),
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/api/v1/device-alerts", "/api/v1/device-alerts/batch"),
            // Open311 GeoReport v2: reading is public (what the public may see); filing needs an api_key (Open311Clients).
            ServerWebExchangeMatchers.pathMatchers("/open311/**"));

    /**
     * The chain for {@link #PROVIDERS}, ahead of the staff's: no session read or started, no CSRF token, no login, no
     * page saved for after one. Credentials that come with a delivery are not taken for a staff member's: Twilio sends
     * HTTP Basic when the webhook address it was given holds a user and password, and a refusal would only have it
     * retry. What a request costs here is what the provider waits for its answer.
     */
    @Bean
    @org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain providerEndpoints(ServerHttpSecurity http) {
        return http.securityMatcher(PROVIDERS)
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(
                        org.springframework.security.web.server.savedrequest.NoOpServerRequestCache.getInstance()))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .build();
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, StaffAuthentication authentication,
            ServerSecurityContextRepository sessionContexts,
            @Value("${civicbot.secure-cookies:true}") boolean secureCookies,
            org.springframework.context.MessageSource messages,
            @Value("${civicbot.map.tile-url:https://tile.openstreetmap.org/{z}/{x}/{y}.png}") String tileUrl,
            @Value("${civicbot.town.logo-url:#{null}}") String townLogo) {
        ServerRequestCache savedPage = new SavedPageCookie(secureCookies);
        Refusals refusals = new Refusals(savedPage, messages);
        return http
                // Form login and HTTP Basic both check passwords through it: throttled, unknown users unseen.
                .authenticationManager(authentication)
                .securityContextRepository(sessionContexts)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health/**", "/actuator/health").permitAll()
                        // Metrics: for a scraper on this machine (the management port listens on loopback).
                        .matchers(SecurityConfiguration::loopbackPrometheus).permitAll()
                        .pathMatchers("/login", "/webjars/**", "/static/**", "/favicon.ico").permitAll()
                        // Incidents' public status pages: no login, and nothing but what the page shows.
                        .pathMatchers(HttpMethod.GET, "/s/*").permitAll()
                        // A supplier without an account: the signed link is the key (SupplierLinks).
                        .pathMatchers("/supplier/**").permitAll()
                        .pathMatchers("/v3/api-docs/**").permitAll()
                        // The one page open to a staff member who must change their password.
                        .pathMatchers(Refusals.PASSWORD_PAGE).authenticated()
                        // Talking to the bot without a phone: every staff member of the town hall.
                        .pathMatchers("/try", "/api/v1/simulator").hasAnyRole("AGENT", "SUPERVISOR", "EDITOR",
                                "COMMUNICATIONS", "ADMIN")
                        // A conversation test guards every publish: only an admin removes one (as only an admin
                        // publishes past one).
                        .pathMatchers(HttpMethod.DELETE, "/api/v1/flows/tests/**").hasRole("ADMIN")
                        // Content: the flows, for editors and admins only.
                        .pathMatchers("/api/v1/flows", "/api/v1/flows/**", "/flows", "/flows/**", "/api/v1/sources",
                                "/api/v1/sources/**")
                        .hasAnyRole("EDITOR", "ADMIN")
                        // A citizen's data, found, exported and erased: admins and the data-protection officer.
                        .pathMatchers("/privacy", "/privacy/**", "/api/v1/contacts", "/api/v1/contacts/**")
                        .hasAnyRole("ADMIN", "DPO")
                        .pathMatchers("/api/v1/users/**", "/admin/**", "/api/v1/open311-clients",
                                "/api/v1/open311-clients/**", "/api/v1/devices", "/api/v1/devices/**",
                                "/api/v1/device-alert-types", "/api/v1/device-alert-types/**").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.POST, "/api/v1/departments", "/api/v1/categories", "/api/v1/rules",
                                "/api/v1/organisations", "/api/v1/templates").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.PATCH, "/api/v1/departments/**").hasRole("ADMIN")
                        // Appointments: admins set up the services and offices; staff book, move, cancel and mark.
                        .pathMatchers(HttpMethod.PUT, "/api/v1/appointment-services/**",
                                "/api/v1/appointment-offices/**").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.DELETE, "/api/v1/rules/**", "/api/v1/templates/**",
                                "/api/v1/departments/**").hasRole("ADMIN")
                        // Announcements to the subscribers, and the topics and areas they subscribe to.
                        .pathMatchers(HttpMethod.POST, "/api/v1/topics", "/api/v1/areas", "/api/v1/announcements")
                        .hasAnyRole("SUPERVISOR", "COMMUNICATIONS", "ADMIN")
                        .pathMatchers("/api/v1/topics", "/api/v1/areas", "/api/v1/announcements/**")
                        .hasAnyRole("AGENT", "SUPERVISOR", "COMMUNICATIONS", "ADMIN")
                        .pathMatchers("/announcements/**", "/announcements").hasAnyRole("SUPERVISOR", "COMMUNICATIONS",
                                "ADMIN")
                        .pathMatchers(HttpMethod.GET, "/").hasAnyRole(ROLES)
                        // An outside organisation's account: its incidents (Scope decides which), read, noted, set
                        // in progress, proposed for closing; nothing else of the back-office.
                        .pathMatchers("/incidents/new").hasAnyRole("AGENT", "SUPERVISOR", "ADMIN")
                        .pathMatchers(HttpMethod.GET, "/incidents", "/incidents/*", "/api/v1/incidents",
                                "/api/v1/incidents/*", "/api/v1/photos/*")
                        .hasAnyRole("AGENT", "SUPERVISOR", "ADMIN", "SUPPLIER")
                        .pathMatchers(HttpMethod.POST, "/incidents/*/notes", "/incidents/*/status",
                                "/incidents/*/proposal", "/incidents/*/attachments", "/api/v1/incidents/*/notes",
                                "/api/v1/incidents/*/status", "/api/v1/incidents/*/proposal",
                                "/api/v1/incidents/*/attachments")
                        .hasAnyRole("AGENT", "SUPERVISOR", "ADMIN", "SUPPLIER")
                        .pathMatchers("/api/v1/**", "/", "/inbox/**", "/conversations/**", "/incidents/**",
                                "/dashboard", "/activities", "/activities/**", "/appointments", "/appointments/**", "/alerts", "/alerts/**",
                                "/assets/**")
                        .hasAnyRole("AGENT", "SUPERVISOR", "ADMIN")
                        .anyExchange().hasAnyRole(ROLES))
                .csrf(csrf -> csrf.csrfTokenRepository(new LoginFormCsrfTokens(secureCookies))
                        .csrfTokenRequestHandler(multipartTokens())
                        .accessDeniedHandler(refusals.noCsrfToken())
                        // An API call with HTTP Basic proves itself on every request: no cookie, no CSRF.
                        .requireCsrfProtectionMatcher(exchange -> bringsBasicCredentials(exchange)
                                .flatMap(exempt -> exempt.isMatch() ? ServerWebExchangeMatcher.MatchResult.notMatch()
                                        : isStateChanging(exchange))))
                .httpBasic(basic -> basic
                        .authenticationEntryPoint(refusals.wrongCredentials())
                        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance()))
                .requestCache(cache -> cache.requestCache(savedPage))
                .formLogin(form -> form.loginPage("/login").authenticationSuccessHandler(refusals.signedIn()))
                .logout(logout -> logout.logoutUrl("/logout"))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(refusals.notSignedIn())
                        .accessDeniedHandler(refusals.notAllowed()))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(csp(tileUrl, townLogo)))
                        .frameOptions(frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                        .referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }

    private static Mono<ServerWebExchangeMatcher.MatchResult> loopbackPrometheus(
            org.springframework.web.server.ServerWebExchange exchange) {
        java.net.InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        boolean local = remote != null && remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
        return local && "/actuator/prometheus".equals(exchange.getRequest().getPath().value())
                ? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
    }

    private static Mono<ServerWebExchangeMatcher.MatchResult> bringsBasicCredentials(
            org.springframework.web.server.ServerWebExchange exchange) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                ? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
    }

    private static Mono<ServerWebExchangeMatcher.MatchResult> isStateChanging(
            org.springframework.web.server.ServerWebExchange exchange) {
        HttpMethod method = exchange.getRequest().getMethod();
        boolean safe = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
                || HttpMethod.OPTIONS.equals(method) || HttpMethod.TRACE.equals(method);
        return safe ? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match();
    }
}
