package dev.baserdb.query.settings;

import dev.baserdb.kernel.settings.PlatformSettingsValues;
import org.jooq.DSLContext;
import org.springframework.stereotype.Service;

import java.util.Optional;

import static dev.baserdb.kernel.readmodel.schema.Tables.PLATFORM_SETTINGS;


/** Reads the platform settings read model: empty while no admin has changed them (configuration holds). */
@Service
public class SettingsDirectory {

    private final DSLContext db;

    public SettingsDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<PlatformSettingsValues> current(String settingsId) {
        return db.selectFrom(PLATFORM_SETTINGS).where(PLATFORM_SETTINGS.ID.eq(settingsId))
                .fetchOptional(r -> new PlatformSettingsValues(
                        r.get(PLATFORM_SETTINGS.MAINTENANCE_MODE),
                        r.get(PLATFORM_SETTINGS.REGISTRATION_OPEN),
                        r.get(PLATFORM_SETTINGS.SINGLE_SESSION_MODE),
                        r.get(PLATFORM_SETTINGS.LOCKOUT_MAX_ATTEMPTS),
                        r.get(PLATFORM_SETTINGS.LOCKOUT_DURATION_MS),
                        r.get(PLATFORM_SETTINGS.EMAIL_PROVIDER),
                        r.get(PLATFORM_SETTINGS.EMAIL_FROM),
                        r.get(PLATFORM_SETTINGS.APP_NAME),
                        r.get(PLATFORM_SETTINGS.APP_URL)));
    }
}
