package dev.baserdb.api.settings;

import dev.baserdb.api.platform.BaserDbProperties;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.database.NotificationChannel;
import dev.baserdb.api.platform.mail.MailProperties;
import dev.baserdb.api.platform.mail.MailRouting;
import dev.baserdb.kernel.settings.PlatformSettingsCommands;
import dev.baserdb.kernel.settings.PlatformSettingsCommands.ChangePlatformSettings;
import dev.baserdb.kernel.settings.PlatformSettingsEvents;
import dev.baserdb.kernel.settings.PlatformSettingsValues;
import dev.baserdb.query.settings.SettingsDirectory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;

import java.time.Duration;

/**
 * The platform settings in force (API.md §14). The {@code BASERDB_*} configuration gives the first
 * values; once an admin changes them, the settings read model holds them. Every node reads that
 * one row and keeps it in memory, so a request does not read it again, until the row changes: the
 * projection that writes it notifies {@link PlatformSettingsEvents#NOTIFY_CHANNEL} in the same
 * transaction and PostgreSQL tells every node's {@code NotificationListener} at commit, which drops
 * the copy. The node that made the change drops it too when its command returns. While this node's
 * listener is not connected the copy is not trusted: every call reads the row (a change would go
 * unannounced). A read that raced with a change is not kept (a generation number guards the copy).
 */
@Service
public class PlatformSettingsService implements MailRouting, LockoutRules {

    static final String DEFAULT_APP_NAME = "BaserDB";

    private final SettingsDirectory directory;
    private final Commands commands;
    private final PlatformSettingsValues initial;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: bumped whenever the copy must go. */
    private long generation;
    private volatile boolean listening;
    private volatile PlatformSettingsValues cached;

    PlatformSettingsService(SettingsDirectory directory, Commands commands, SettingsDefaults auth, MailProperties mail,
                            BaserDbProperties platform) {
        this.directory = directory;
        this.commands = commands;
        this.initial = new PlatformSettingsValues(false, auth.registrationOpen(), false, auth.lockoutMaxAttempts(),
                auth.lockoutDuration().toMillis(), mail.provider(), mail.from(), DEFAULT_APP_NAME,
                platform.publicUrl());
    }

    /** How this node hears of changes made on any node. */
    @Configuration
    static class Channel {

        @Bean
        NotificationChannel platformSettingsChannel(PlatformSettingsService settings) {
            return new NotificationChannel(PlatformSettingsEvents.NOTIFY_CHANNEL, settings::forget,
                    settings::listening);
        }
    }

    /** The settings in force now. */
    public PlatformSettingsValues current() {
        if (listening) {
            PlatformSettingsValues hit = cached;
            if (hit != null) {
                return hit;
            }
        }
        long before;
        synchronized (lock) {
            before = generation;
        }
        PlatformSettingsValues read = directory.current(PlatformSettingsCommands.ID).orElse(initial);
        synchronized (lock) {
            if (listening && generation == before) {
                cached = read;
            }
        }
        return read;
    }

    /** The row changed (here or on another node): the next call reads it. */
    void forget() {
        synchronized (lock) {
            generation++;
            cached = null;
        }
    }

    /** Whether a copy is kept now (for tests: the next call does not read the row). */
    boolean holdsCopy() {
        return listening && cached != null;
    }

    /** Whether this node hears changes made elsewhere; while it does not, nothing is kept. */
    void listening(boolean connected) {
        synchronized (lock) {
            listening = connected;
            generation++;
            cached = null;
        }
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
            forget();
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
