package dev.baserdb.kernel.privacy;

import java.util.Optional;

/**
 * Personal data in an immutable log: values about a person (email, name, IP address, user agent)
 * are sealed with that person's own data key before they enter an event. Destroying the key
 * (erasure) makes every sealed value unreadable at once — "crypto-shredding" — while the events,
 * the audit chain and every replay stay intact.
 *
 * <p>A sealed value is a string {@code pd1:<subject id>:<base64 of IV and AES-GCM ciphertext>}.
 */
public interface PersonalData {

    String PREFIX = "pd1:";
    /** What is shown in place of a value whose key was destroyed. */
    String ERASED = "[erased]";

    /** Seals {@code value} under the subject's data key (created on first use); {@code null} stays null. */
    String seal(String subjectId, String value);

    /**
     * Opens a sealed value; empty when its key was destroyed. A string that is not sealed is returned
     * as it is.
     */
    Optional<String> open(String value);

    /** Opens a sealed value for display: the plain value, or {@link #ERASED}. */
    default String reveal(String value) {
        return value == null ? null : open(value).orElse(ERASED);
    }

    /** Destroys the subject's data key: everything sealed under it becomes unreadable, everywhere. */
    void destroyKey(String subjectId);

    static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }
}
