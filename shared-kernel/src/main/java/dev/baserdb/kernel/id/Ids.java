package dev.baserdb.kernel.id;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import java.util.UUID;

/** Generates the prefixed, time-ordered identifiers of API.md §1 ("usr_0190…"), backed by UUIDv7. */
public final class Ids {

    private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();

    private Ids() {
    }

    /** A fresh UUIDv7: time-ordered, so indexes on it stay append-mostly. */
    public static UUID uuidV7() {
        return UUID_V7.generate();
    }

    /** A fresh id of the form {@code prefix_<32 hex digits of a UUIDv7>}. */
    public static String newId(String prefix) {
        return prefix + "_" + uuidV7().toString().replace("-", "");
    }

    /** True when {@code value} has the shape of an id made by {@link #newId(String)} with this prefix. */
    public static boolean hasShape(String value, String prefix) {
        return value != null
                && value.length() == prefix.length() + 33
                && value.startsWith(prefix + "_")
                && value.substring(prefix.length() + 1).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
