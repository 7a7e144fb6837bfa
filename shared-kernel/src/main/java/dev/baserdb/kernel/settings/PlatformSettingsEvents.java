package dev.baserdb.kernel.settings;

import org.axonframework.serialization.Revision;

import java.util.Map;

/** Events of the {@code PlatformSettings} aggregate. */
public sealed interface PlatformSettingsEvents {

    /**
     * The PostgreSQL channel on which a change of the settings read model is announced to every
     * node (sent in the transaction that changes it, so delivered at its commit).
     */
    String NOTIFY_CHANNEL = "baserdb_platform_settings";

    String settingsId();

    /**
     * The settings changed (by an update or an import): the whole value before and after, so a read
     * model needs no earlier event and the changes ({@link #changes()}) follow from the two.
     */
    @Revision("1")
    record PlatformSettingsChanged(String settingsId,
                                   String source,
                                   PlatformSettingsValues previous,
                                   PlatformSettingsValues settings) implements PlatformSettingsEvents {

        /** Every field that differs: {@code field → {from, to}}. */
        public Map<String, PlatformSettingsValues.SettingChange> changes() {
            return settings.changesFrom(previous);
        }
    }
}
