package dev.baserdb.kernel.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The platform's settings (API.md §14) as one value. Field names are the wire names of §14; the
 * first value comes from configuration ({@code BASERDB_*}), every later one from an admin.
 */
public record PlatformSettingsValues(boolean maintenanceMode,
                                     boolean registrationOpen,
                                     boolean singleSessionMode,
                                     int lockoutMaxAttempts,
                                     long lockoutDurationMs,
                                     String emailProvider,
                                     String emailFrom,
                                     String appName,
                                     String appUrl) {

    /** The settings as {@code wire name → value}, in the order of §14. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("maintenance_mode", maintenanceMode);
        map.put("registration_open", registrationOpen);
        map.put("single_session_mode", singleSessionMode);
        map.put("lockout_max_attempts", lockoutMaxAttempts);
        map.put("lockout_duration_ms", lockoutDurationMs);
        map.put("email_provider", emailProvider);
        map.put("email_from", emailFrom);
        map.put("app_name", appName);
        map.put("app_url", appUrl);
        return map;
    }

    /** What changed from {@code before} to this: {@code field → {from, to}}, in the order of §14. */
    public Map<String, SettingChange> changesFrom(PlatformSettingsValues before) {
        Map<String, Object> old = before.asMap();
        Map<String, SettingChange> changes = new LinkedHashMap<>();
        asMap().forEach((field, value) -> {
            if (!Objects.equals(old.get(field), value)) {
                changes.put(field, new SettingChange(old.get(field), value));
            }
        });
        return changes;
    }

    /** One field's change. */
    public record SettingChange(Object from, Object to) {
    }
}
