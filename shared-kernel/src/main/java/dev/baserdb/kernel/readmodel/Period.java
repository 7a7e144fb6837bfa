package dev.baserdb.kernel.readmodel;

import org.jooq.Condition;
import org.jooq.Field;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The validity period of a versioned row: current, or as of an instant. Every versioned table of the
 * read model (one with {@code valid_from} and {@code valid_to}) has its own as its generated
 * {@code PERIOD} (e.g. {@code ORGANIZATION_VERSIONS.PERIOD}).
 */
public record Period(Field<OffsetDateTime> validFrom, Field<OffsetDateTime> validTo) {

    public Condition current() {
        return validTo.isNull();
    }

    /** The version in force at {@code at} ({@code null} means now). */
    public Condition at(Instant at) {
        if (at == null) {
            return current();
        }
        OffsetDateTime time = at.atOffset(ZoneOffset.UTC);
        return validFrom.le(time).and(validTo.isNull().or(validTo.gt(time)));
    }
}
