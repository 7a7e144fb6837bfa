package dev.baserdb.api.platform.mail;

/**
 * Which provider sends the next email and from which address: the platform settings (API.md §14,
 * {@code email_provider}, {@code email_from}) as they are when the email leaves.
 */
public interface MailRouting {

    String provider();

    String from();

    /** The configuration's provider and sender, as they hold before any settings change. */
    static MailRouting of(MailProperties properties) {
        return new MailRouting() {
            @Override
            public String provider() {
                return properties.provider();
            }

            @Override
            public String from() {
                return properties.from();
            }
        };
    }
}
