package dev.baserdb.api.identity;

import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.query.identity.UserDirectory;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Recognises the caller from {@code Authorization: Bearer <access token>}. It decides nothing
 * about access: the principal (or why the credentials were refused) is left on the request, and
 * a handler that needs a caller asks for a {@link Principal} parameter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuthenticationFilter extends OncePerRequestFilter {

    static final String PRINCIPAL = AuthenticationFilter.class.getName() + ".principal";
    static final String FAILURE = AuthenticationFilter.class.getName() + ".failure";

    private final AccessTokens tokens;
    private final SessionGuard sessions;
    private final UserDirectory users;

    AuthenticationFilter(AccessTokens tokens, SessionGuard sessions, UserDirectory users) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null) {
            try {
                Principal principal = authenticate(header);
                request.setAttribute(PRINCIPAL, principal);
                RequestContext context = RequestContext.current();
                if (context != null) {
                    context.actor("user", principal.userId());
                }
            } catch (BaserDbException refused) {
                request.setAttribute(FAILURE, refused);
            }
        }
        chain.doFilter(request, response);
    }

    private Principal authenticate(String header) {
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw BaserDbException.unauthorized("Authorization header must be 'Bearer <token>'");
        }
        AccessTokens.Verified verified = tokens.verify(header.substring(7).trim());
        if (!sessions.isActive(verified.sessionId(), verified.userId())) {
            throw BaserDbException.unauthorized("Session has ended; sign in again");
        }
        return users.findById(verified.userId())
                .filter(user -> "active".equals(user.status()))
                .map(user -> new Principal(user.id(), verified.sessionId(), user.platformRoles()))
                .orElseThrow(() -> BaserDbException.unauthorized("Account is not active"));
    }
}
