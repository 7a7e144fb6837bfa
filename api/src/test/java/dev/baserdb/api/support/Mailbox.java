package dev.baserdb.api.support;

import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/** Reads the account emails (reset, verification, magic link) a user got, and the token of their link. */
public final class Mailbox {

    private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

    private Mailbox() {
    }

    /** Waits for the {@code n}-th (1-based) email to {@code address} whose subject contains {@code subject}; returns its link's token. */
    public static String awaitToken(String address, String subject, int n) {
        MimeMessage message = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> matching(address, subject), messages -> messages.size() >= n)
                .get(n - 1);
        Matcher matcher = TOKEN.matcher(TestMail.body(message));
        if (!matcher.find()) {
            throw new AssertionError("No token link in: " + TestMail.body(message));
        }
        return matcher.group(1);
    }

    public static String awaitToken(String address, String subject) {
        return awaitToken(address, subject, 1);
    }

    /** The emails to the address whose subject contains {@code subject}. */
    public static List<MimeMessage> matching(String address, String subject) {
        return TestMail.messagesTo(address).stream()
                .filter(message -> TestMail.subject(message).contains(subject))
                .toList();
    }
}
