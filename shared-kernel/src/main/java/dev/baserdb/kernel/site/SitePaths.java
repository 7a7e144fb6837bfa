package dev.baserdb.kernel.site;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules a deploy's files follow (API.md §12), in one place: zip entries and file-by-file paths
 * are checked with them before anything is stored, and the {@code Deploy} aggregate decides with
 * them again.
 */
public final class SitePaths {

    public static final Pattern SUBDOMAIN = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    /** Refused whatever their bytes, case-insensitive. */
    public static final List<String> EXECUTABLE_EXTENSIONS =
            List.of(".exe", ".sh", ".bat", ".cmd", ".com", ".php", ".cgi", ".py", ".pl", ".rb");
    public static final int MAX_FILES = 10_000;
    /** The limit of an archive, and of a deploy's expanded size. */
    public static final long MAX_BYTES = 50L * 1024 * 1024;
    private static final int MAX_PATH = 512;
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private SitePaths() {
    }

    /**
     * Why {@code path} cannot be a file of a deploy, or {@code null}: a relative path without
     * {@code ..}, {@code .} or empty segments, backslashes, drive letters, colons or control characters.
     */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "must not be empty";
        }
        if (path.length() > MAX_PATH) {
            return "must be at most " + MAX_PATH + " characters";
        }
        if (path.indexOf('\\') >= 0) {
            return "must not contain a backslash";
        }
        if (path.startsWith("/")) {
            return "must be a relative path (no leading /)";
        }
        if (DRIVE.matcher(path).matches() || path.indexOf(':') >= 0) {
            return "must not name a drive or contain ':'";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '%') {
                return "must not contain control characters or '%'";
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "must not contain '..', '.' or empty segments";
            }
        }
        return null;
    }

    /** Whether the name says it is a program ({@link #EXECUTABLE_EXTENSIONS}). */
    public static boolean executableName(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return EXECUTABLE_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** Whether the first bytes of a file are those of an ELF, PE (MZ) or Mach-O program, whatever its name. */
    public static boolean executableMagic(byte[] head, int length) {
        if (length >= 4 && (head[0] & 0xff) == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            return true;
        }
        if (length >= 2 && head[0] == 'M' && head[1] == 'Z') {
            return true;
        }
        if (length >= 4) {
            int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
            return magic == 0xfeedface || magic == 0xfeedfacf || magic == 0xcefaedfe || magic == 0xcffaedfe
                    || magic == 0xcafebabe;
        }
        return false;
    }
}
