package dev.baserdb.api.platform.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.util.Properties;

/**
 * Chooses the mail provider: {@code console} (the default) writes each message, link included, to
 * the log, on purpose and for development only (API.md §3), and says so at start; {@code smtp}
 * sends it through the configured server with Spring Mail and never writes a message, its link or
 * its token anywhere else, not even in the error of a failed delivery.
 */
@Configuration
public class MailConfiguration {

    private static final Logger log = LoggerFactory.getLogger(Mailer.class);

    /**
     * The provider and sender address of each email are those of the platform settings when it
     * leaves ({@link MailRouting}: {@code email_provider}, {@code email_from}, first from
     * configuration). SMTP is available only when configured ({@code BASERDB_SMTP_HOST}).
     */
    @Bean
    Mailer mailer(MailProperties properties, MailRouting routing) {
        if (!"console".equals(properties.provider()) && !"smtp".equals(properties.provider())) {
            throw new IllegalStateException(
                    "BASERDB_EMAIL_PROVIDER must be console or smtp, not " + properties.provider());
        }
        if ("console".equals(properties.provider())) {
            warnOfConsole();
        }
        Mailer console = console();
        Mailer smtp = "smtp".equals(properties.provider()) || smtpConfigured(properties)
                ? smtp(properties, routing) : null;
        return (to, subject, text) -> {
            if ("smtp".equals(routing.provider()) && smtp != null) {
                smtp.send(to, subject, text);
            } else {
                console.send(to, subject, text);
            }
        };
    }

    /** Whether an SMTP server is configured, so that an admin may switch the provider to smtp. */
    public static boolean smtpConfigured(MailProperties properties) {
        return properties.smtpHost() != null && !properties.smtpHost().isBlank();
    }

    /** A failed SMTP delivery, described without the message, its recipient or its cause's text. */
    static final class MailDeliveryFailed extends RuntimeException {

        MailDeliveryFailed(String message) {
            super(message);
        }
    }

    static void warnOfConsole() {
        log.warn("Email provider 'console' (BASERDB_EMAIL_PROVIDER): every email is written to this log with its "
                + "link, so the log holds live single-use tokens (password reset, magic link, email verification, "
                + "invitation). For development only: use BASERDB_EMAIL_PROVIDER=smtp anywhere else.");
    }

    private static Mailer console() {
        return (to, subject, text) -> log.info("Email (console provider) to {}: {}\n{}", to, subject, text);
    }

    private static Mailer smtp(MailProperties properties, MailRouting routing) {
        if (properties.smtpHost() == null || properties.smtpHost().isBlank()) {
            throw new IllegalStateException("BASERDB_SMTP_HOST is required with the smtp email provider");
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(properties.smtpHost());
        sender.setPort(properties.smtpPort());
        boolean authenticate = properties.smtpUsername() != null && !properties.smtpUsername().isBlank();
        if (authenticate) {
            sender.setUsername(properties.smtpUsername());
            sender.setPassword(properties.smtpPassword());
        }
        Properties javaMail = sender.getJavaMailProperties();
        javaMail.put("mail.smtp.auth", Boolean.toString(authenticate));
        javaMail.put("mail.smtp.starttls.enable", Boolean.toString(properties.smtpStarttls()));
        javaMail.put("mail.smtp.connectiontimeout", "10000");
        javaMail.put("mail.smtp.timeout", "10000");
        return (to, subject, text) -> {
            SimpleMailMessage message = new SimpleMailMessage();
            String from = routing.from();
            message.setFrom(from == null || from.isBlank() ? properties.from() : from);
            message.setTo(to);
            message.setSubject(subject);
            message.setText(text);
            try {
                sender.send(message);
            } catch (MailException e) {
                // The failure may carry the message (and so its token) or the recipient: keep neither.
                throw new MailDeliveryFailed("Sending an email through SMTP " + properties.smtpHost() + ":"
                        + properties.smtpPort() + " failed (" + e.getClass().getSimpleName() + ")");
            }
        };
    }
}
