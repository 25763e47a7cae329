package org.civicbot.backoffice.staff;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Checks a staff member's password, for the login form and HTTP Basic alike: throttled per username and
 * per client address ({@link LoginThrottle}), and with the same answer and about the same time whether the
 * username exists or not (an unknown name is checked against a dummy hash), so that nobody can learn which
 * accounts exist. The signed-in authentication carries the username and roles, never the password hash.
 */
@Component
public class StaffAuthentication implements ReactiveAuthenticationManager {

    /**
     * The only authority of a user who must change their password: it opens the change-password page and
     * nothing else, until the change gives them their roles.
     */
    public static final String PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED";

    /** The same words for every refusal: wrong password, unknown user, disabled account, throttled. */
    static final String REFUSED = "Bad credentials";

    private final StaffUsers users;
    private final PasswordEncoder encoder;
    private final LoginThrottle throttle;
    /** A hash of a password nobody knows, made like the real ones so that checking it takes as long. */
    private final String dummyHash;

    StaffAuthentication(StaffUsers users, PasswordEncoder encoder, LoginThrottle throttle) {
        this.users = users;
        this.encoder = encoder;
        this.throttle = throttle;
        this.dummyHash = encoder.encode(UUID.randomUUID().toString());
    }

    @Override
    public Mono<Authentication> authenticate(Authentication attempt) {
        String username = attempt.getName() == null ? "" : attempt.getName();
        String password = attempt.getCredentials() == null ? "" : attempt.getCredentials().toString();
        // Spring Security puts the exchange in the Reactor context of every request it filters.
        return Mono.deferContextual(context -> check(username, password,
                        context.<ServerWebExchange>getOrEmpty(ServerWebExchange.class)))
                .map(StaffAuthentication::authenticated)
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException(REFUSED)));
    }

    /** The user, when the password is theirs and neither they nor the client address are throttled. */
    public Mono<StaffUser> check(String username, String password, Optional<ServerWebExchange> exchange) {
        Optional<String> address = exchange.flatMap(StaffAuthentication::clientAddress);
        return throttle.attempt(username, address).flatMap(allowed -> !allowed ? Mono.empty()
                : users.find(username).map(Optional::of).defaultIfEmpty(Optional.empty())
                        // BCrypt takes tens of milliseconds: never on the event loop.
                        .publishOn(Schedulers.boundedElastic())
                        .flatMap(found -> {
                            if (found.isEmpty()) {
                                // As long as a real check; the answer is no whatever it says.
                                encoder.matches(password, dummyHash);
                                return Mono.empty();
                            }
                            StaffUser user = found.get();
                            return encoder.matches(password, user.passwordHash()) && user.enabled()
                                    ? throttle.succeeded(username, address).thenReturn(user) : Mono.empty();
                        }));
    }

    /** What a signed-in staff member holds: their name and roles, or only {@link #PASSWORD_CHANGE_REQUIRED}. */
    public static Authentication authenticated(StaffUser user) {
        List<GrantedAuthority> authorities = user.mustChangePassword()
                ? List.of(new SimpleGrantedAuthority(PASSWORD_CHANGE_REQUIRED))
                : StaffUsers.granted(user.roles()).stream()
                        .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role.name())).toList();
        return UsernamePasswordAuthenticationToken.authenticated(user.username(), null, authorities);
    }

    /** Whether this signed-in staff member must change their password before anything else. */
    public static boolean mustChangePassword(Authentication authentication) {
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(a -> PASSWORD_CHANGE_REQUIRED.equals(a.getAuthority()));
    }

    /** Behind a reverse proxy this is the proxy, unless {@code server.forward-headers-strategy} is set. */
    public static Optional<String> clientAddress(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null) {
            return Optional.empty();
        }
        return Optional.of(remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress());
    }
}
