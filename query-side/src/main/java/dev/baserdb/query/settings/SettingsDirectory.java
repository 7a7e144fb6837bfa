package dev.baserdb.query.settings;

import dev.baserdb.kernel.settings.PlatformSettingsValues;
import org.jooq.DSLContext;
import org.springframework.stereotype.Service;

import java.util.Optional;

import static dev.baserdb.kernel.readmodel.SettingsTables.PlatformSettingsRow;

/** Reads the platform settings read model: empty while no admin has changed them (configuration holds). */
@Service
public class SettingsDirectory {

    private final DSLContext db;

    public SettingsDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<PlatformSettingsValues> current(String settingsId) {
        return db.selectFrom(PlatformSettingsRow.TABLE).where(PlatformSettingsRow.ID.eq(settingsId))
                .fetchOptional(r -> new PlatformSettingsValues(
                        r.get(PlatformSettingsRow.MAINTENANCE_MODE),
                        r.get(PlatformSettingsRow.REGISTRATION_OPEN),
                        r.get(PlatformSettingsRow.SINGLE_SESSION_MODE),
                        r.get(PlatformSettingsRow.LOCKOUT_MAX_ATTEMPTS),
                        r.get(PlatformSettingsRow.LOCKOUT_DURATION_MS),
                        r.get(PlatformSettingsRow.EMAIL_PROVIDER),
                        r.get(PlatformSettingsRow.EMAIL_FROM),
                        r.get(PlatformSettingsRow.APP_NAME),
                        r.get(PlatformSettingsRow.APP_URL)));
    }
}
