package dev.baserdb.kernel.storage;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules of API.md §11 for object names and buckets, in one place: the API checks them before a
 * byte is stored, the {@code Bucket} aggregate decides with them again.
 */
public final class ObjectNames {

    /** Bucket names are slugs (API.md §1). */
    public static final Pattern BUCKET_NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    private static final Pattern OBJECT_NAME = Pattern.compile("^[A-Za-z0-9._/-]{1,1024}$");
    /** Refused whatever the bucket allows (415), case-insensitive. */
    public static final List<String> BLOCKED_EXTENSIONS =
            List.of(".php", ".py", ".sh", ".exe", ".cgi", ".rb", ".pl", ".bat", ".cmd", ".htaccess");
    /** Default and ceiling of a bucket's {@code max_file_size}. */
    public static final long DEFAULT_MAX_FILE_SIZE = 50L * 1024 * 1024;

    private ObjectNames() {
    }

    /**
     * Why {@code name} is not an acceptable object name, or {@code null} when it is: relative paths of
     * {@code [A-Za-z0-9._/-]}, no {@code ..}, no leading {@code /}, no empty segment. A backslash or a
     * percent sign (so any percent-encoded dot-dot) is outside the alphabet.
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (!OBJECT_NAME.matcher(name).matches()) {
            return "must be 1 to 1024 characters of A-Z a-z 0-9 . _ / -";
        }
        if (name.startsWith("/")) {
            return "must be a relative path (no leading /)";
        }
        if (name.contains("..")) {
            return "must not contain ..";
        }
        if (name.endsWith("/") || name.contains("//")) {
            return "must not have an empty path segment";
        }
        return null;
    }

    /** Whether the name ends with one of the {@link #BLOCKED_EXTENSIONS}. */
    public static boolean blocked(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return BLOCKED_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** Whether a sniffed content type is among the allowed ones ({@code null} or empty allows all). */
    public static boolean allowed(String contentType, List<String> allowedMimeTypes) {
        if (allowedMimeTypes == null || allowedMimeTypes.isEmpty()) {
            return true;
        }
        String base = baseType(contentType);
        return allowedMimeTypes.stream().anyMatch(allowed -> allowed.equalsIgnoreCase(base)
                || (allowed.endsWith("/*") && base.startsWith(allowed.substring(0, allowed.length() - 1).toLowerCase(Locale.ROOT))));
    }

    private static String baseType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
