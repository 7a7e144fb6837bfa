package dev.baserdb.kernel.settings;

import org.axonframework.serialization.Revision;

import java.util.Map;

/** Events of the {@code PlatformSettings} aggregate. */
public sealed interface PlatformSettingsEvents {

    String settingsId();

    /**
     * The settings changed (by an update or an import): every field that differs, from and to, and
     * the whole new value, so a read model needs no earlier event.
     */
    @Revision("1")
    record PlatformSettingsChanged(String settingsId,
                                   String source,
                                   Map<String, PlatformSettingsValues.SettingChange> changes,
                                   PlatformSettingsValues settings) implements PlatformSettingsEvents {
    }
}
