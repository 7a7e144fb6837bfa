package dev.baserdb.kernel.readmodel;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Instants as read models store them: UTC, in milliseconds. The event store keeps event timestamps
 * to the millisecond, so a read model rebuilt from it must equal the live one to the millisecond.
 */
public final class ReadModelTime {

    private ReadModelTime() {
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
    }

    /** A stored time as an instant ({@code null} stays null). */
    public static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
