package dev.baserdb.kernel.readmodel;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** The platform settings read model ({@code V8_0__account_security.sql}) as jOOQ names. */
public final class SettingsTables {

    private SettingsTables() {
    }

    public static final class PlatformSettingsRow {
        public static final Table<Record> TABLE = table(name("platform_settings"));
        public static final Field<String> ID = field(name("platform_settings", "id"), String.class);
        public static final Field<Boolean> MAINTENANCE_MODE = field(name("platform_settings", "maintenance_mode"), Boolean.class);
        public static final Field<Boolean> REGISTRATION_OPEN = field(name("platform_settings", "registration_open"), Boolean.class);
        public static final Field<Boolean> SINGLE_SESSION_MODE =
                field(name("platform_settings", "single_session_mode"), Boolean.class);
        public static final Field<Integer> LOCKOUT_MAX_ATTEMPTS =
                field(name("platform_settings", "lockout_max_attempts"), Integer.class);
        public static final Field<Long> LOCKOUT_DURATION_MS = field(name("platform_settings", "lockout_duration_ms"), Long.class);
        public static final Field<String> EMAIL_PROVIDER = field(name("platform_settings", "email_provider"), String.class);
        public static final Field<String> EMAIL_FROM = field(name("platform_settings", "email_from"), String.class);
        public static final Field<String> APP_NAME = field(name("platform_settings", "app_name"), String.class);
        public static final Field<String> APP_URL = field(name("platform_settings", "app_url"), String.class);
        public static final Field<OffsetDateTime> UPDATED_AT = field(name("platform_settings", "updated_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("platform_settings", "version"), Long.class);

        private PlatformSettingsRow() {
        }
    }
}
