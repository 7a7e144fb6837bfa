package dev.baserdb.api.identity;

import dev.baserdb.api.identity.keycloak.KeycloakSignIn;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.api.platform.security.Principals;
import dev.baserdb.kernel.data.DataCatalog;
import dev.baserdb.query.project.ProjectView;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.query.identity.ApiTokenDirectory;
import dev.baserdb.query.identity.ApiTokenView;
import dev.baserdb.query.identity.UserDirectory;
import dev.baserdb.query.identity.UserView;
import dev.baserdb.query.project.ProjectDirectory;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.util.Set;

/**
 * Recognises the caller from {@code Authorization: Bearer …} or {@code X-API-Key: …}: a platform
 * access token (JWT), a personal access token ({@code bdb_pat_…}) or a project service key
 * ({@code bdb_sk_…}), and in identity mode keycloak an access token of the realm. It decides nothing about access: the principal, or why the credentials were
 * refused, is left on the request, and a handler that needs a caller asks for a {@link Principal}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuthenticationFilter extends OncePerRequestFilter {

    static final String PAT_PREFIX = "bdb_pat_";
    static final String SERVICE_KEY_PREFIX = "bdb_sk_";

    private final AccessTokens tokens;
    private final SessionGuard sessions;
    private final UserDirectory users;
    private final ApiTokenDirectory apiTokens;
    private final ProjectDirectory projects;
    private final ProjectUserRows projectUserRows;
    private final Clock clock;
    private final DataCatalog catalog;
    /** Present in identity mode keycloak only. */
    private final KeycloakSignIn keycloak;

    AuthenticationFilter(AccessTokens tokens, SessionGuard sessions, UserDirectory users, ApiTokenDirectory apiTokens,
                         ProjectDirectory projects, ProjectUserRows projectUserRows, Clock clock, DataCatalog catalog,
                         ObjectProvider<KeycloakSignIn> keycloak) {
        this.keycloak = keycloak.getIfAvailable();
        this.catalog = catalog;
        this.tokens = tokens;
        this.sessions = sessions;
        this.users = users;
        this.apiTokens = apiTokens;
        this.projects = projects;
        this.projectUserRows = projectUserRows;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String credential = credential(request);
        if (credential != null) {
            try {
                Principal principal = authenticate(credential);
                request.setAttribute(Principals.PRINCIPAL, principal);
                RequestContext context = RequestContext.current();
                if (context != null) {
                    context.actor(principal.actorType(), principal.actorId());
                    if (principal.isImpersonated()) {
                        context.impersonator(principal.impersonatorId());
                    }
                }
            } catch (BaserDbException refused) {
                request.setAttribute(Principals.FAILURE, refused);
            }
        }
        chain.doFilter(request, response);
    }

    /** The presented credential, or null when none; a malformed Authorization header is kept to be refused. */
    private static String credential(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null) {
            return header;
        }
        String apiKey = request.getHeader("X-API-Key");
        return apiKey == null ? null : "Bearer " + apiKey.trim();
    }

    private Principal authenticate(String header) {
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw BaserDbException.unauthorized("Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(7).trim();
        if (token.startsWith(PAT_PREFIX)) {
            return personalAccessToken(token);
        }
        if (token.startsWith(SERVICE_KEY_PREFIX)) {
            String hash = Secrets.sha256(token);
            return catalog.<ProjectView>remembered("service-key:" + hash, () -> projects.findByServiceKeyHash(hash))
                    .map(project -> Principal.serviceKey(project.id(), project.organizationId()))
                    .orElseThrow(() -> BaserDbException.unauthorized("Invalid service key"));
        }
        if (AccessTokens.isProjectUserToken(token)) {
            AccessTokens.VerifiedProjectUser user = tokens.verifyProjectUser(token);
            if (!projectUserRows.stillSignedIn(user)) {
                throw BaserDbException.unauthorized(
                        "This sign-in has ended (the row was deleted or its password changed); sign in again");
            }
            return Principal.projectUser(user.projectId(), user.rowId());
        }
        if (keycloak != null && keycloak.recognizes(token)) {
            return keycloak.authenticate(token);
        }
        AccessTokens.Verified verified = tokens.verify(token);
        if (!sessions.isActive(verified.sessionId(), verified.userId())) {
            throw BaserDbException.unauthorized("Session has ended; sign in again");
        }
        UserView user = activeUser(verified.userId());
        if (verified.impersonatorId() != null) {
            return Principal.impersonated(user.id(), verified.sessionId(), user.platformRoles(),
                    verified.impersonatorId());
        }
        return Principal.session(user.id(), verified.sessionId(), user.platformRoles());
    }

    private Principal personalAccessToken(String token) {
        ApiTokenView pat = apiTokens.findByHash(Secrets.sha256(token))
                .orElseThrow(() -> BaserDbException.unauthorized("Invalid API key"));
        if (pat.revokedAt() != null) {
            throw BaserDbException.unauthorized("This API key has been revoked");
        }
        if (pat.expiredAt(clock.instant())) {
            throw new BaserDbException(ErrorCode.EXPIRED_KEY, "This API key has expired");
        }
        UserView user = activeUser(pat.userId());
        return Principal.personalAccessToken(user.id(), pat.id(), user.platformRoles(), Set.copyOf(pat.scopes()),
                pat.organizationId());
    }

    private UserView activeUser(String userId) {
        return users.findById(userId)
                .filter(user -> "active".equals(user.status()))
                .orElseThrow(() -> BaserDbException.unauthorized("Account is not active"));
    }
}
