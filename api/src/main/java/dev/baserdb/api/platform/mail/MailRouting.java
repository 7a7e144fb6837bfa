package dev.baserdb.api.platform.mail;

/**
 * Which provider sends the next email and from which address: the platform settings (API.md §14,
 * {@code email_provider}, {@code email_from}) as they are when the email leaves.
 */
public interface MailRouting {

    String provider();

    String from();
}
