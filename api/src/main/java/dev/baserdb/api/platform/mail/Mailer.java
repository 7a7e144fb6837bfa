package dev.baserdb.api.platform.mail;

/** The one port through which BaserDB sends email (invitations, password resets, magic links). */
public interface Mailer {

    void send(String to, String subject, String text);
}
