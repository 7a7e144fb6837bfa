package dev.baserdb.api.settings;

import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.mail.MailProperties;
import dev.baserdb.api.platform.mail.MailRouting;
import dev.baserdb.kernel.settings.PlatformSettingsCommands;
import dev.baserdb.kernel.settings.PlatformSettingsCommands.ChangePlatformSettings;
import dev.baserdb.kernel.settings.PlatformSettingsValues;
import dev.baserdb.query.settings.SettingsDirectory;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;

/**
 * The platform settings in force (API.md §14). The {@code BASERDB_*} configuration gives the first
 * values; once an admin changes them, the settings read model holds them. Every node reads that
 * one row, so a change made on one node holds on all of them: at once on the node that made it (it
 * drops its copy), and within {@link #REFRESH} on the others, which keep the row that long to
 * spare the database a read per request.
 */
@Service
public class PlatformSettingsService implements MailRouting, LockoutRules {

    /** How long a node reuses the row it read. */
    static final Duration REFRESH = Duration.ofSeconds(1);
    static final String DEFAULT_APP_NAME = "BaserDB";

    private record Snapshot(PlatformSettingsValues values, Instant readAt) {
    }

    private final SettingsDirectory directory;
    private final Commands commands;
    private final PlatformSettingsValues initial;
    private volatile Snapshot snapshot;

    PlatformSettingsService(SettingsDirectory directory, Commands commands, SettingsDefaults auth, MailProperties mail,
                            BaserDbProperties platform) {
        this.directory = directory;
        this.commands = commands;
        this.initial = new PlatformSettingsValues(false, auth.registrationOpen(), false, auth.lockoutMaxAttempts(),
                auth.lockoutDuration().toMillis(), mail.provider(), mail.from(), DEFAULT_APP_NAME,
                platform.publicUrl());
    }

    /** The settings in force now. */
    public PlatformSettingsValues current() {
        Snapshot seen = snapshot;
        Instant now = Instant.now();
        if (seen == null || !now.isBefore(seen.readAt().plus(REFRESH))) {
            seen = new Snapshot(directory.current(PlatformSettingsCommands.ID).orElse(initial), now);
            snapshot = seen;
        }
        return seen.values();
    }

    /** The configuration's settings, before any change. */
    public PlatformSettingsValues initial() {
        return initial;
    }

    /** Records a change ({@code update} or {@code import}); the new settings hold from the next request. */
    public PlatformSettingsValues change(PlatformSettingsValues values, String source) {
        try {
            commands.send(new ChangePlatformSettings(PlatformSettingsCommands.ID, initial, values, source));
        } finally {
            snapshot = null;
        }
        return current();
    }

    @Override
    public Duration lockoutDuration() {
        return Duration.ofMillis(current().lockoutDurationMs());
    }

    @Override
    public int lockoutMaxAttempts() {
        return current().lockoutMaxAttempts();
    }

    @Override
    public String provider() {
        return current().emailProvider();
    }

    @Override
    public String from() {
        return current().emailFrom();
    }
}
