package dev.baserdb.kernel.settings;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands of the {@code PlatformSettings} aggregate (one per platform, id {@link #ID}). */
public sealed interface PlatformSettingsCommands {

    /** The one aggregate's id. */
    String ID = "platform-settings";

    String settingsId();

    /**
     * Sets the settings to {@code values}. {@code initial} is the configuration's settings, the
     * state the aggregate starts from when nothing was ever changed. {@code source} is
     * {@code "update"} (PATCH) or {@code "import"}.
     */
    record ChangePlatformSettings(@TargetAggregateIdentifier String settingsId,
                                  PlatformSettingsValues initial,
                                  PlatformSettingsValues values,
                                  String source) implements PlatformSettingsCommands {
    }
}
