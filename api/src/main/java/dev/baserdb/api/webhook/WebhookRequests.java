package dev.baserdb.api.webhook;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** Request bodies of the webhook routes (API.md §13). */
final class WebhookRequests {

    private WebhookRequests() {
    }

    /** A new webhook; without {@code secret} one is generated and shown once in the answer. */
    record NewWebhook(@NotBlank @Size(max = 2048) String url,
                      @NotNull @Size(min = 1, max = 20) List<@NotBlank String> events,
                      @Size(min = 16, max = 256) String secret,
                      Boolean active) {
    }

    /** A change: absent fields stay as they are. */
    record WebhookChange(@Size(max = 2048) String url,
                         @Size(min = 1, max = 20) List<@NotBlank String> events,
                         @Size(min = 16, max = 256) String secret,
                         Boolean active) {
    }
}
