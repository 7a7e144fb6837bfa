package dev.baserdb.api.data;

import dev.baserdb.api.platform.web.EnvelopeWriter;
import dev.baserdb.kernel.error.ErrorCode;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The data API's rate limit per project (API.md §7): a Bucket4j token bucket of
 * {@code BASERDB_DATA_RATE_LIMIT} requests a minute (600 by default), with the
 * {@code X-RateLimit-*} headers on every data response and 429 with {@code Retry-After} past it.
 * Buckets live in this node's memory.
 */
@Component
class DataRateLimit implements HandlerInterceptor, WebMvcConfigurer {

    private final long perMinute;
    private final EnvelopeWriter writer;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    DataRateLimit(@Value("${baserdb.data.rate-limit-per-minute:600}") long perMinute, EnvelopeWriter writer) {
        this.perMinute = perMinute;
        this.writer = writer;
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
        Bucket bucket = buckets.get(project, key -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long resetSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(
                (perMinute - probe.getRemainingTokens()) * Duration.ofMinutes(1).toNanos() / perMinute));
        response.setHeader("X-RateLimit-Limit", Long.toString(perMinute));
        response.setHeader("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        response.setHeader("X-RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + resetSeconds));
        if (probe.isConsumed()) {
            return true;
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
        response.setHeader("Retry-After", Long.toString(retryAfter));
        writer.write(response, ErrorCode.RATE_LIMIT_EXCEEDED,
                "Rate limit of " + perMinute + " requests per minute for this project exceeded", Map.of());
        return false;
    }
}
