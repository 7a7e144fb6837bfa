package dev.baserdb.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/** Identifies a storage bucket ({@code bkt_…}). */
public record BucketId(@JsonValue String value) {

    public static final String PREFIX = "bkt";

    public BucketId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static BucketId of(String value) {
        return new BucketId(value);
    }

    public static BucketId generate() {
        return new BucketId(Ids.newId(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
