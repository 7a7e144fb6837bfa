package dev.baserdb.api.webhook;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes one delivery attempt (API.md §13): POSTs the stored body, signed, to the webhook's URL. The
 * host is resolved afresh and every address checked by {@link WebhookTargets} inside the client's
 * DNS hook, so the connection goes only to an address that passed the check (no DNS rebinding
 * between check and connect). Redirects are not followed, nothing is retried here (the scheduler
 * retries), the whole attempt is bounded by the timeout, and at most 1 KB of the answer is kept.
 */
final class WebhookSender implements Closeable {

    static final int KEPT_RESPONSE_BYTES = 1024;

    /** What an attempt came to: a status (2xx is success) or an error. */
    record Outcome(Integer statusCode, String error, String responseBody, long durationMs) {

        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final CloseableHttpClient client;
    private final Duration timeout;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    WebhookSender(WebhookTargets targets, Duration timeout) {
        this.timeout = timeout;
        DnsResolver checked = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return targets.addresses(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        Timeout bound = Timeout.ofMilliseconds(timeout.toMillis());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(checked)
                        .setMaxConnTotal(64)
                        .setMaxConnPerRoute(8)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(bound).setSocketTimeout(bound).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(bound)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("BaserDB-Webhooks/1")
                .build();
    }

    Outcome send(String url, String secret, String event, String deliveryId, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpPost post = new HttpPost(url);
        post.setHeader("X-BaserDB-Event", event);
        post.setHeader("X-BaserDB-Delivery", deliveryId);
        post.setHeader("X-BaserDB-Signature", "sha256=" + signature(secret, bytes));
        post.setEntity(new ByteArrayEntity(bytes, ContentType.APPLICATION_JSON));
        long start = System.nanoTime();
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return client.execute(post, response -> {
                String kept = null;
                if (response.getEntity() != null) {
                    try (InputStream in = response.getEntity().getContent()) {
                        kept = new String(in.readNBytes(KEPT_RESPONSE_BYTES), StandardCharsets.UTF_8);
                    }
                }
                return new Outcome(response.getCode(), null, kept, millisSince(start));
            });
        } catch (WebhookTargets.Refused refused) {
            return new Outcome(null, "refused: " + refused.getMessage(), null, millisSince(start));
        } catch (IOException e) {
            String error = post.isCancelled() || millisSince(start) >= timeout.toMillis()
                    ? "timeout after " + timeout.toMillis() + " ms"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Outcome(null, error, null, millisSince(start));
        } finally {
            deadline.cancel(false);
        }
    }

    /** Hex of HMAC-SHA256(secret, raw body): what a receiver recomputes to trust a delivery. */
    static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
