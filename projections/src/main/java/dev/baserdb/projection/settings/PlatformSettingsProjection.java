package dev.baserdb.projection.settings;

import dev.baserdb.kernel.settings.PlatformSettingsEvents;
import dev.baserdb.kernel.settings.PlatformSettingsEvents.PlatformSettingsChanged;
import dev.baserdb.kernel.settings.PlatformSettingsValues;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.schema.Tables.PLATFORM_SETTINGS;

/**
 * The platform settings read model: one row, the settings as last changed. Inline, so a change is
 * in the database when its request answers; every node reads it from there (see
 * {@code PlatformSettingsService} in the api module). Guarded by the aggregate version. Each change
 * (and a reset) also sends {@link PlatformSettingsEvents#NOTIFY_CHANNEL} in its transaction: at
 * commit every node drops the copy it keeps.
 */
@Component
@ProcessingGroup(PlatformSettingsProjection.GROUP)
class PlatformSettingsProjection {

    static final String GROUP = "platform_settings";

    private final DSLContext db;

    PlatformSettingsProjection(DSLContext db) {
        this.db = db;
    }

    @EventHandler
    void on(PlatformSettingsChanged event, @SequenceNumber long version, @Timestamp Instant at) {
        PlatformSettingsValues s = event.settings();
        // the same values for a first row and for an update of it
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(PLATFORM_SETTINGS.MAINTENANCE_MODE, s.maintenanceMode());
        values.put(PLATFORM_SETTINGS.REGISTRATION_OPEN, s.registrationOpen());
        values.put(PLATFORM_SETTINGS.SINGLE_SESSION_MODE, s.singleSessionMode());
        values.put(PLATFORM_SETTINGS.LOCKOUT_MAX_ATTEMPTS, s.lockoutMaxAttempts());
        values.put(PLATFORM_SETTINGS.LOCKOUT_DURATION_MS, s.lockoutDurationMs());
        values.put(PLATFORM_SETTINGS.EMAIL_PROVIDER, s.emailProvider());
        values.put(PLATFORM_SETTINGS.EMAIL_FROM, s.emailFrom());
        values.put(PLATFORM_SETTINGS.APP_NAME, s.appName());
        values.put(PLATFORM_SETTINGS.APP_URL, s.appUrl());
        values.put(PLATFORM_SETTINGS.UPDATED_AT, utc(at));
        values.put(PLATFORM_SETTINGS.VERSION, version);
        db.insertInto(PLATFORM_SETTINGS)
                .set(PLATFORM_SETTINGS.ID, event.settingsId())
                .set(values)
                .onConflict(PLATFORM_SETTINGS.ID).doUpdate()
                .set(values)
                .where(PLATFORM_SETTINGS.VERSION.lt(version))
                .execute();
        announce();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(PLATFORM_SETTINGS).execute();
        announce();
    }

    /** Tells every node, at commit, that the row changed. */
    private void announce() {
        db.execute("SELECT pg_notify('" + PlatformSettingsEvents.NOTIFY_CHANNEL + "', '')");
    }
}
