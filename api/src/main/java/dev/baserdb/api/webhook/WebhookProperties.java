package dev.baserdb.api.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Webhooks ({@code baserdb.webhooks.*}, API.md §13).
 *
 * @param allowLoopback {@code BASERDB_WEBHOOK_ALLOW_LOOPBACK}: allow 127.0.0.0/8 and ::1 as targets
 *                      (local development and tests); every other refused range stays refused
 * @param maxAttempts   {@code BASERDB_WEBHOOK_MAX_ATTEMPTS}: attempts per delivery before it fails
 * @param timeout       {@code BASERDB_WEBHOOK_TIMEOUT}: bound of one attempt, connection to last byte
 * @param firstRetry    {@code BASERDB_WEBHOOK_FIRST_RETRY}: wait before the second attempt; each next
 *                      wait doubles (1 s, 2 s, 4 s …)
 * @param segments      {@code BASERDB_WEBHOOK_SEGMENTS}: segments of the outbox processor, the most
 *                      nodes that fill the outbox at once (fixed when its token is first made)
 * @param claimedSegments {@code BASERDB_WEBHOOK_CLAIMED_SEGMENTS}: the most segments one node takes
 *                      (0: as many as are free); below {@code segments} only when enough nodes run
 */
@ConfigurationProperties("baserdb.webhooks")
record WebhookProperties(@DefaultValue("false") boolean allowLoopback,
                         @DefaultValue("8") int maxAttempts,
                         @DefaultValue("10s") Duration timeout,
                         @DefaultValue("1s") Duration firstRetry,
                         @DefaultValue("2") int segments,
                         @DefaultValue("0") int claimedSegments) {
}
