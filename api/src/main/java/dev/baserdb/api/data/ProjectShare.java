package dev.baserdb.api.data;

import dev.baserdb.api.platform.database.DatabaseProperties;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Each project's bounded share of the node's database connections (API.md §6): at most
 * {@code BASERDB_DATA_PROJECT_CONCURRENCY} of its data requests are served at once; more wait their
 * turn for a moment and then answer 503 with {@code Retry-After}. A project whose requests are slow
 * (a costly policy, a heavy filter) so queues behind itself, while other projects, logins and
 * {@code /api/healthz} keep their connections. Shares are taken once the project is known to exist,
 * so unknown ids cannot grow the table, and released by this filter when the request ends.
 */
@Component
class ProjectShare extends OncePerRequestFilter {

    private static final String TURN = ProjectShare.class.getName() + ".turn";

    private final int permits;
    private final Duration wait;
    private final ConcurrentHashMap<String, Semaphore> shares = new ConcurrentHashMap<>();

    ProjectShare(DatabaseProperties settings) {
        this.permits = Math.max(1, settings.projectConcurrency());
        this.wait = settings.projectQueueWait();
    }

    /** Takes one of the project's turns for the rest of this request (once per request). */
    void enter(HttpServletRequest request, String projectId) {
        if (request.getAttribute(TURN) != null) {
            return;
        }
        Semaphore share = shares.computeIfAbsent(projectId, id -> new Semaphore(permits, true));
        boolean acquired;
        try {
            acquired = share.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new BaserDbException(ErrorCode.SERVICE_UNAVAILABLE,
                    "This project has too many data requests in progress; retry shortly").retryAfter(Duration.ofSeconds(1));
        }
        request.setAttribute(TURN, share);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/v1/data/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.getAttribute(TURN) instanceof Semaphore share) {
                request.removeAttribute(TURN);
                share.release();
            }
        }
    }
}
