package dev.baserdb.kernel.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** An entry's {@code occurred_at} text, which its hash covers, is the text ISO_INSTANT gives. */
class AuditEntryTimeTest {

    @Test
    void given_instants_of_any_year_and_precision_when_written_then_the_text_is_iso_instants() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.EPOCH.minusNanos(1),
                Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("2026-11-29T10:00:00Z"),
                Instant.parse("2026-11-29T10:00:00.001Z"), Instant.parse("2026-11-29T10:00:00.100999999Z"),
                Instant.parse("2024-02-29T23:59:59.999Z"), Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("0001-01-01T00:00:00.5Z"), Instant.MIN,
                Instant.MAX));
        SplittableRandom random = new SplittableRandom(10);
        for (int i = 0; i < 100_000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(-100_000_000_000L, 300_000_000_000L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000)));
        }
        for (Instant instant : instants) {
            assertThat(AuditEntry.instant(instant)).as("%s", instant)
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS)));
        }
    }
}
