package dev.baserdb.api.storage;

import org.apache.tika.Tika;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.Set;

/**
 * Content types sniffed from the bytes with Apache Tika: the magic of the first bytes decides; the
 * name is consulted only when the bytes say no more than "text" or "binary" (CSS, JavaScript, JSON),
 * so a client cannot make HTML into an image by naming it so. Also which types a browser may show
 * inline from the API's origin: everything else is sent as an attachment.
 */
@Component
public class ContentTypes {

    private static final Set<String> INLINE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "image/avif", "image/bmp", "text/plain", "application/pdf");

    public String sniff(byte[] head, String name) {
        return Detector.TIKA.detect(head, name);
    }

    /**
     * Tika, made when the first file is sniffed: it reads its MIME database then, which took about
     * a third of a second of the main thread when it was made at start.
     */
    private static final class Detector {
        static final Tika TIKA = new Tika();
    }

    /** Whether a stored object of this type is safe to display inline (no script can run in it). */
    public static boolean inline(String contentType) {
        String base = contentType.toLowerCase(Locale.ROOT);
        return INLINE.contains(base) || base.startsWith("audio/") || base.startsWith("video/");
    }
}
