package dev.baserdb.api.platform.eventstore;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The event store's timestamp text is Axon's own, also when a millisecond's text is reused. */
class PostgresEventStorageEngineTest {

    @Test
    void theTimestampTextIsAxonsForEveryInstantWhetherItsMillisecondWasJustFormattedOrNot() {
        Instant start = Instant.parse("2026-11-29T22:30:59.998123456Z");
        for (long step = 0; step < 5_000; step++) {
            Instant instant = start.plusNanos(step * 1_377);
            assertThat(PostgresEventStorageEngine.text(instant)).isEqualTo(DateTimeUtils.formatInstant(instant));
        }
        Instant earlier = Instant.parse("1999-12-31T23:59:59.999999999Z");
        assertThat(PostgresEventStorageEngine.text(earlier)).isEqualTo("1999-12-31T23:59:59.999Z");
        assertThat(PostgresEventStorageEngine.text(start)).isEqualTo("2026-11-29T22:30:59.998Z");
    }
}
