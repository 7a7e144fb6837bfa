package dev.baserdb.api.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.awaitility.Awaitility.await;

/**
 * One real SMTP server (GreenMail) for the whole test run (JVM), started on a free port the first
 * time it is needed and stopped when the run ends. {@link TestDatabase} points every
 * {@code @ApiTest} context at it, so the application sends its email for real and tests read what
 * arrived. It accepts mail for any address; tests use unique addresses and look their mail up by
 * recipient.
 */
public final class TestMail {

    public static final String HOST = "127.0.0.1";

    private static GreenMail server;

    private TestMail() {
    }

    /** Starts the server once (later calls return the running one). */
    public static synchronized GreenMail start() {
        if (server == null) {
            GreenMail started = new GreenMail(new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort());
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-greenmail"));
            server = started;
        }
        return server;
    }

    /** The port the SMTP server listens on. */
    public static int smtpPort() {
        return start().getSmtp().getPort();
    }

    /** Every message received so far addressed (To) to this address. */
    public static List<MimeMessage> messagesTo(String address) {
        String wanted = address.toLowerCase(Locale.ROOT);
        return Arrays.stream(start().getReceivedMessages())
                .filter(message -> recipients(message).contains(wanted))
                .toList();
    }

    /** Waits (up to 10 s) until a message to this address arrived, and returns the first one. */
    public static MimeMessage awaitMessageTo(String address) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> messagesTo(address), messages -> !messages.isEmpty())
                .get(0);
    }

    /** The text of a single-part message, transfer encoding undone. */
    public static String body(MimeMessage message) {
        try {
            return message.getContent() instanceof String text ? text : GreenMailUtil.getBody(message);
        } catch (MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> recipients(MimeMessage message) {
        try {
            Address[] to = message.getRecipients(Message.RecipientType.TO);
            return to == null ? List.of() : Arrays.stream(to).map(a -> a.toString().toLowerCase(Locale.ROOT)).toList();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
