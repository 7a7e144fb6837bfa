package dev.baserdb.api.platform.mail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.baserdb.api.support.TestMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the mail providers write to the log (issue 8, L8): the {@code console} provider logs each
 * email, link included, and warns at start that the log then holds live tokens; the {@code smtp}
 * provider never logs a message, its link or its token, whether it is delivered or not.
 */
class MailProviderLoggingTest {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Captured logged = new Captured();
    private final String token = "tok-" + UUID.randomUUID();
    private final String link = "https://baserdb.example/reset-password?token=" + token;
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(logged);
        root.setLevel(rootLevel);
    }

    /** The mailer as configured, routed as the configuration says (no settings change). */
    private static Mailer routed(MailProperties properties) {
        return new MailConfiguration().mailer(properties, MailRouting.of(properties));
    }

    @Test
    void givenTheConsoleProvider_whenConfigured_thenAStartupWarningSaysTheLogHoldsLiveTokens() {
        Mailer mailer = routed(properties("console", null, 0));

        assertThat(logged.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("console").contains("live").contains("tokens")
                    .contains("BASERDB_EMAIL_PROVIDER=smtp");
        });
        mailer.send("ann@example.com", "Reset your password", "Open " + link);
        assertThat(logged.list).anySatisfy(event -> assertThat(event.getFormattedMessage()).contains(link));
    }

    @Test
    void givenTheSmtpProvider_whenAnEmailIsDelivered_thenNeitherItsLinkNorItsTokenIsLogged() {
        Mailer mailer = routed(properties("smtp", TestMail.HOST, TestMail.smtpPort()));
        String to = "smtp-" + UUID.randomUUID() + "@example.com";

        mailer.send(to, "Reset your password", "Open " + link);

        assertThat(TestMail.awaitMessageTo(to)).isNotNull();
        assertThat(logged.lines()).noneMatch(line -> line.contains(token));
    }

    @Test
    void givenTheSmtpProvider_whenTheServerIsUnreachable_thenTheErrorCarriesNeitherTheTokenNorTheRecipient()
            throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Mailer mailer = routed(properties("smtp", "127.0.0.1", closedPort));

        assertThatThrownBy(() -> mailer.send("secret-recipient@example.com", "Reset", "Open " + link))
                .satisfies(error -> {
                    for (Throwable t = error; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t)).doesNotContain(token).doesNotContain("secret-recipient");
                    }
                });
        assertThat(logged.lines()).noneMatch(line -> line.contains(token));
    }

    /**
     * Everything the application logs, from any thread, except the test's own SMTP server (GreenMail
     * logs the messages it receives: that is the recipient's side, not BaserDB's log).
     */
    static final class Captured extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> list = new CopyOnWriteArrayList<>();

        /** Each event as "logger: message", so a failure shows who logged it. */
        List<String> lines() {
            return list.stream().map(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).toList();
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (!event.getLoggerName().startsWith("com.icegreen.greenmail")) {
                list.add(event);
            }
        }
    }

    private static MailProperties properties(String provider, String host, int port) {
        return new MailProperties(provider, "no-reply@baserdb.example", host, port, null, null, false);
    }
}
