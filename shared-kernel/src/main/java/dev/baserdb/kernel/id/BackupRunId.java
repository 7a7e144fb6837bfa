package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a backup run ({@code bkp_…}). */
public record BackupRunId(@JsonValue String value) {

    public static final String PREFIX = "bkp";

    public BackupRunId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static BackupRunId of(String value) {
        return new BackupRunId(value);
    }

    public static BackupRunId generate() {
        return new BackupRunId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
