package dev.baserdb.api.platform.mail;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Outgoing email ({@code baserdb.mail.*}): the provider, and the SMTP server when it is {@code smtp}. */
@ConfigurationProperties("baserdb.mail")
public record MailProperties(
        @DefaultValue("console") String provider,
        @DefaultValue("no-reply@localhost") String from,
        String smtpHost,
        @DefaultValue("587") int smtpPort,
        String smtpUsername,
        String smtpPassword,
        @DefaultValue("false") boolean smtpStarttls) {
}
