package dev.baserdb.api.settings;

import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Principals;
import dev.baserdb.api.platform.web.EnvelopeWriter;
import dev.baserdb.kernel.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Maintenance mode (API.md §14): while {@code maintenance_mode} is on, every request that writes
 * (POST, PUT, PATCH, DELETE) answers 503 {@code MAINTENANCE} with {@code Retry-After}, unless a
 * platform admin sends it. Reads and signing in (login, the 2FA step, refresh, logout) still work.
 * Runs after authentication (it needs to know the caller) and before anything is written.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
class MaintenanceFilter extends OncePerRequestFilter {

    /** What a client is told to wait before trying a write again. */
    static final long RETRY_AFTER_SECONDS = 120;
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> SIGN_IN = Set.of("/api/v1/auth/login", "/api/v1/auth/2fa/verify",
            "/api/v1/auth/refresh", "/api/v1/auth/logout");

    private final PlatformSettingsService settings;
    private final EnvelopeWriter writer;

    MaintenanceFilter(PlatformSettingsService settings, EnvelopeWriter writer) {
        this.settings = settings;
        this.writer = writer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (WRITES.contains(request.getMethod()) && !SIGN_IN.contains(request.getRequestURI())
                && settings.current().maintenanceMode() && !isPlatformAdmin(request)) {
            response.setHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
            writer.write(response, ErrorCode.MAINTENANCE,
                    "The platform is in maintenance; reads work, writes are paused. Try again later", Map.of());
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isPlatformAdmin(HttpServletRequest request) {
        Principal principal = Principals.of(request);
        return principal != null && principal.isPlatformAdmin() && !principal.isImpersonated();
    }
}
