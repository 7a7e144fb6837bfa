package dev.baserdb.api.identity.keycloak;

import dev.baserdb.api.platform.web.EnvelopeWriter;
import dev.baserdb.kernel.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In identity mode keycloak the realm holds every credential of a person: the built-in routes that
 * register, sign in with or change a password, manage second factors, email links or BaserDB
 * sessions answer 400 with a message saying so, whatever their body, before any handler runs. A
 * path rule rather than a list of handlers, so routes added later under these prefixes are covered
 * too. Personal access tokens ({@code /auth/tokens}), invitations ({@code /auth/invitations}),
 * {@code GET /auth/me}, service keys and the data API are untouched.
 */
class KeycloakOnlyRoutes extends OncePerRequestFilter {

    static final String MESSAGE = "This BaserDB signs people in through Keycloak (identity mode keycloak): "
            + "register, sign in, change passwords, set up second factors and sign out in the realm instead";

    private static final String AUTH = "/api/v1/auth/";
    /** Prefixes under /api/v1/auth/ owned by the realm in this mode (each also matches its subpaths). */
    private static final List<String> REALM_ROUTES = List.of("register", "login", "refresh", "logout", "logout-all",
            "password", "forgot-password", "reset-password", "verify-email", "resend-verification", "magic-link",
            "2fa", "mfa", "totp", "recovery-codes", "sessions");
    /** Other built-in password routes. */
    private static final Set<String> OTHER_ROUTES = Set.of("/api/v1/invitations/accept");

    /** The path as Spring MVC matches it: percent-decoded, without ;parameters, so no spelling slips past. */
    private static final UrlPathHelper PATHS = new UrlPathHelper();

    static {
        PATHS.setUrlDecode(true);
        PATHS.setRemoveSemicolonContent(true);
    }

    private final EnvelopeWriter envelopes;

    KeycloakOnlyRoutes(EnvelopeWriter envelopes) {
        this.envelopes = envelopes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (ownedByTheRealm(request)) {
            envelopes.write(response, ErrorCode.BAD_REQUEST, MESSAGE, Map.of());
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean ownedByTheRealm(HttpServletRequest request) {
        String path = normalized(PATHS.getPathWithinApplication(request));
        if (OTHER_ROUTES.contains(path)) {
            return true;
        }
        if (path.equals("/api/v1/auth/me")) {
            // Reading oneself stays; erasing the account needs the BaserDB password this mode does not have.
            return "DELETE".equalsIgnoreCase(request.getMethod());
        }
        if (!path.startsWith(AUTH)) {
            return false;
        }
        String rest = path.substring(AUTH.length());
        return REALM_ROUTES.stream().anyMatch(route -> rest.equals(route) || rest.startsWith(route + "/"));
    }

    /** Lower case, no trailing slash, no empty segments, so spelling variants match too. */
    private static String normalized(String path) {
        String plain = path.replaceAll("/{2,}", "/").toLowerCase(java.util.Locale.ROOT);
        return plain.length() > 1 && plain.endsWith("/") ? plain.substring(0, plain.length() - 1) : plain;
    }
}
