package org.civicbot.backoffice.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.DefaultCsrfToken;

/**
 * Session attributes as plain documents, one per attribute, instead of Java serialization: the store then
 * holds nothing that runs code when read back, and a person can read it. A session holds the signed-in
 * staff member (their name and authorities, never a password or its hash), the CSRF token of its forms,
 * and plain values (strings, numbers, booleans and lists of them, such as a flash message). Anything else
 * is not kept, and says so in the log.
 */
final class SessionAttributes {

    private static final Logger log = LoggerFactory.getLogger(SessionAttributes.class);

    private static final String AUTHENTICATION = "authentication";
    private static final String CSRF_TOKEN = "csrfToken";
    private static final String VALUE = "value";

    private SessionAttributes() {}

    /** The attributes in name order, so that two writings of the same attributes are equal. */
    static List<Document> write(Map<String, Object> attributes) {
        List<Document> written = new ArrayList<>();
        new TreeMap<>(attributes).forEach((name, value) -> {
            Document document = write(value);
            if (document == null) {
                log.warn("Session attribute {} ({}) is not kept: a stored session holds only the staff member, "
                        + "the CSRF token and plain values", name, value.getClass().getName());
            } else {
                written.add(document.append("name", name));
            }
        });
        return written;
    }

    private static Document write(Object value) {
        if (value instanceof SecurityContext context) {
            Authentication authentication = context.getAuthentication();
            if (authentication == null || !authentication.isAuthenticated()) {
                return null;
            }
            return new Document("kind", AUTHENTICATION).append("username", authentication.getName())
                    .append("authorities", authentication.getAuthorities().stream()
                            .map(GrantedAuthority::getAuthority).sorted().toList());
        }
        if (value instanceof CsrfToken token) {
            return new Document("kind", CSRF_TOKEN).append("headerName", token.getHeaderName())
                    .append("parameterName", token.getParameterName()).append("token", token.getToken());
        }
        if (isPlain(value)) {
            return new Document("kind", VALUE).append("value", value);
        }
        return null;
    }

    private static boolean isPlain(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().allMatch(SessionAttributes::isPlain);
        }
        return value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double;
    }

    static Map<String, Object> read(List<Document> stored) {
        Map<String, Object> attributes = new TreeMap<>();
        for (Document document : stored == null ? List.<Document>of() : stored) {
            Object value = switch (String.valueOf(document.getString("kind"))) {
                case AUTHENTICATION -> new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(
                        document.getString("username"), null, document.getList("authorities", String.class).stream()
                                .map(SimpleGrantedAuthority::new).toList()));
                case CSRF_TOKEN -> new DefaultCsrfToken(document.getString("headerName"),
                        document.getString("parameterName"), document.getString("token"));
                case VALUE -> document.get("value");
                default -> null;
            };
            if (value != null) {
                attributes.put(document.getString("name"), value);
            }
        }
        return attributes;
    }

    /** Who signed in with these attributes; null before sign-in. */
    static String username(Map<String, Object> attributes) {
        return attributes.values().stream()
                .filter(SecurityContext.class::isInstance)
                .map(v -> ((SecurityContext) v).getAuthentication())
                .filter(a -> a != null && a.isAuthenticated())
                .map(Authentication::getName)
                .findFirst().orElse(null);
    }
}
