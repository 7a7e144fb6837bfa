package dev.baserdb.api.data;

import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Principals;
import dev.baserdb.api.platform.web.EnvelopeWriter;
import dev.baserdb.kernel.error.ErrorCode;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The data API's rate limit (API.md §7): a Bucket4j token bucket of {@code BASERDB_DATA_RATE_LIMIT}
 * requests a minute (600 by default) per project and caller, so a flood from one caller (say,
 * anonymous requests) cannot lock out the project's service key or its users. Every data
 * response carries the {@code X-RateLimit-*} headers; past the limit it is 429 with
 * {@code Retry-After}.
 *
 * <p>Where buckets live is {@code BASERDB_DATA_RATE_LIMIT_STORE}:
 * <ul>
 *   <li>{@code memory} (the default): in this node's memory, in a cache bounded in size whose
 *   entries expire after a window without use (a bucket left alone that long has refilled
 *   completely, so forgetting it changes nothing, and a flood of distinct client addresses costs at
 *   most {@link #MAX_BUCKETS} buckets). Each node counts its own requests: with n nodes behind a
 *   balancer a caller gets up to n times the limit.</li>
 *   <li>{@code postgres}: in the table {@code rate_limit_buckets}, through Bucket4j's PostgreSQL
 *   backend (a row lock per bucket, one short transaction per request), so the limit holds across
 *   every node. Rows expire once their bucket would be full again and are swept every minute.</li>
 * </ul>
 * Time comes from the application's {@link Clock} (buckets and cache alike), so tests can hold it
 * still and count exactly.
 */
@Component
class DataRateLimit implements HandlerInterceptor, WebMvcConfigurer {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final long MAX_BUCKETS = 100_000;

    private static final Logger log = LoggerFactory.getLogger(DataRateLimit.class);

    private final long perMinute;
    private final Bandwidth bandwidth;
    private final TimeMeter time;
    private final Clock clock;
    private final EnvelopeWriter writer;
    /** The bucket of a key: from this node's cache, or a proxy of the shared row. */
    private final Function<String, Bucket> buckets;
    /** The shared store, when there is one: its expired rows are swept by {@link #sweep}. */
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> shared;

    DataRateLimit(@Value("${baserdb.data.rate-limit-per-minute:600}") long perMinute,
                  @Value("${baserdb.data.rate-limit-store:memory}") String store, DataSource dataSource,
                  EnvelopeWriter writer, Clock clock) {
        this.perMinute = perMinute;
        this.bandwidth = Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, WINDOW).build();
        this.clock = clock;
        this.time = new ClockTimeMeter(clock);
        this.writer = writer;
        BucketConfiguration configuration = BucketConfiguration.builder().addLimit(bandwidth).build();
        switch (store) {
            case "memory" -> {
                Cache<String, Bucket> cache = Caffeine.newBuilder()
                        .ticker(time::currentTimeNanos)
                        .expireAfterAccess(WINDOW)
                        .maximumSize(MAX_BUCKETS)
                        .build();
                this.shared = null;
                this.buckets = key -> cache.get(key,
                        k -> Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(time).build());
            }
            case "postgres" -> {
                this.shared = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                        .primaryKeyMapper(PrimaryKeyMapper.STRING)
                        .table("rate_limit_buckets").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                Duration.ZERO))
                        .clientClock(time)
                        .build();
                this.buckets = key -> shared.builder().build(key, () -> configuration);
            }
            default -> throw new IllegalArgumentException(
                    "BASERDB_DATA_RATE_LIMIT_STORE must be memory or postgres, not " + store);
        }
    }

    /** Removes shared buckets that have refilled completely (they would start full anyway). */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    void sweep() {
        if (shared == null) {
            return;
        }
        try {
            while (shared.removeExpired(1000) == 1000) {
                // more than one batch of expired buckets: go on
            }
        } catch (RuntimeException e) {
            log.warn("Could not sweep expired rate-limit buckets: {}", e.getMessage());
        }
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/data/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String project = variables == null ? null : variables.get("project");
        if (project == null) {
            return true;
        }
        Bucket bucket = buckets.apply(bucketKey(project, request));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long remaining = probe.getRemainingTokens();
        long nanosUntilFull = (perMinute - remaining) * WINDOW.toNanos() / perMinute;
        response.setHeader("X-RateLimit-Limit", Long.toString(perMinute));
        response.setHeader("X-RateLimit-Remaining", Long.toString(remaining));
        response.setHeader("X-RateLimit-Reset", Long.toString(epochSecondsCeiling(clock.instant().plusNanos(nanosUntilFull))));
        if (probe.isConsumed()) {
            return true;
        }
        response.setHeader("Retry-After", Long.toString(secondsCeiling(probe.getNanosToWaitForRefill())));
        writer.write(response, ErrorCode.RATE_LIMIT_EXCEEDED,
                "Rate limit of " + perMinute + " requests per minute for this caller of the project exceeded",
                Map.of());
        return false;
    }

    static String bucketKey(String project, HttpServletRequest request) {
        return bucketKey(project, Principals.of(request), request.getRemoteAddr());
    }

    /**
     * Whose bucket a request draws from, within its project: the project's service key; a project
     * user (data login) by row id; a platform user by user id, whether signed in or through one of
     * their personal access tokens; anyone else (no or refused credentials) by client address.
     * The address is the connection's peer: {@code X-Forwarded-For} is not trusted, since any
     * client could set it and so pick a fresh bucket per request.
     */
    static String bucketKey(String project, Principal principal, String remoteAddress) {
        if (principal == null) {
            return project + "|anon|" + remoteAddress;
        }
        return switch (principal.kind()) {
            case SERVICE_KEY -> project + "|service_key|" + principal.projectId();
            case PROJECT_USER -> project + "|project_user|" + principal.projectId() + "|" + principal.dataUserId();
            case SESSION, PERSONAL_ACCESS_TOKEN -> project + "|user|" + principal.userId();
        };
    }

    /** Whole seconds to wait, rounded up: a client that waits this long finds a token. */
    static long secondsCeiling(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** The epoch second at or after the instant. */
    static long epochSecondsCeiling(Instant instant) {
        Instant whole = instant.truncatedTo(ChronoUnit.SECONDS);
        return whole.equals(instant) ? whole.getEpochSecond() : whole.getEpochSecond() + 1;
    }

    /** Bucket4j's time source read from the application clock (nanoseconds since the epoch). */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
