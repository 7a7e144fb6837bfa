package dev.baserdb.command.settings;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.settings.PlatformSettingsCommands;
import dev.baserdb.kernel.settings.PlatformSettingsCommands.ChangePlatformSettings;
import dev.baserdb.kernel.settings.PlatformSettingsEvents.PlatformSettingsChanged;
import dev.baserdb.kernel.settings.PlatformSettingsValues;
import dev.baserdb.kernel.settings.PlatformSettingsValues.SettingChange;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** The PlatformSettings aggregate (API.md §14): created by its first change, from the configuration's values. */
class PlatformSettingsTest {

    private static final String ID = PlatformSettingsCommands.ID;
    private static final PlatformSettingsValues CONFIG = new PlatformSettingsValues(false, true, false, 10, 900_000,
            "console", "no-reply@localhost", "BaserDB", "http://localhost:8080");

    private AggregateTestFixture<PlatformSettings> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PlatformSettings.class);
    }

    private static PlatformSettingsValues maintenance(boolean on) {
        return new PlatformSettingsValues(on, true, false, 10, 900_000, "console", "no-reply@localhost", "BaserDB",
                "http://localhost:8080");
    }

    @Test
    void givenNothing_whenTheFirstChange_thenChangedFromTheConfiguration() {
        fixture.givenNoPriorActivity()
                .when(new ChangePlatformSettings(ID, CONFIG, maintenance(true), "update"))
                .expectEvents(new PlatformSettingsChanged(ID, "update", CONFIG, maintenance(true)));
        assertThat(new PlatformSettingsChanged(ID, "update", CONFIG, maintenance(true)).changes())
                .isEqualTo(Map.of("maintenance_mode", new SettingChange(false, true)));
    }

    @Test
    void givenAChange_whenTheNextChangesFromThere_thenFromIsThePreviousValue() {
        fixture.given(new PlatformSettingsChanged(ID, "update", CONFIG, maintenance(true)))
                .when(new ChangePlatformSettings(ID, CONFIG, maintenance(false), "update"))
                .expectEvents(new PlatformSettingsChanged(ID, "update", maintenance(true), maintenance(false)));
    }

    @Test
    void givenSettings_whenAnUpdateChangesNothing_thenNoEvent() {
        fixture.given(new PlatformSettingsChanged(ID, "update", CONFIG, maintenance(true)))
                .when(new ChangePlatformSettings(ID, CONFIG, maintenance(true), "update"))
                .expectNoEvents();
    }

    @Test
    void givenSettings_whenTheSameAreImported_thenOneImportEventIsRecorded() {
        fixture.given(new PlatformSettingsChanged(ID, "update", CONFIG, maintenance(true)))
                .when(new ChangePlatformSettings(ID, CONFIG, maintenance(true), "import"))
                .expectEvents(new PlatformSettingsChanged(ID, "import", maintenance(true), maintenance(true)));
    }

    @Test
    void givenNothing_whenLockoutAttemptsAreZero_thenRefused() {
        fixture.givenNoPriorActivity()
                .when(new ChangePlatformSettings(ID, CONFIG, new PlatformSettingsValues(false, true, false, 0, 900_000,
                        "console", null, "BaserDB", null), "update"))
                .expectException(BaserDbException.class);
    }

    @Test
    void givenNothing_whenTheProviderIsUnknown_thenRefused() {
        fixture.givenNoPriorActivity()
                .when(new ChangePlatformSettings(ID, CONFIG, new PlatformSettingsValues(false, true, false, 5, 900_000,
                        "carrier-pigeon", null, "BaserDB", null), "update"))
                .expectException(BaserDbException.class);
    }
}
