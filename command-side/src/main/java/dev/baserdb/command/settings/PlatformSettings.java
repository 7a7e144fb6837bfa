package dev.baserdb.command.settings;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.settings.PlatformSettingsCommands.ChangePlatformSettings;
import dev.baserdb.kernel.settings.PlatformSettingsEvents.PlatformSettingsChanged;
import dev.baserdb.kernel.settings.PlatformSettingsValues;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The platform's settings (API.md §14): one aggregate for the whole platform, created by its first
 * change. Until then the configuration's values hold, and the first change starts from them, so
 * history shows every change from configuration onwards. A change that changes nothing records nothing.
 */
@Aggregate
class PlatformSettings {

    private static final Set<String> PROVIDERS = Set.of("console", "smtp");
    private static final Set<String> SOURCES = Set.of("update", "import");

    @AggregateIdentifier
    private String settingsId;
    private PlatformSettingsValues current;

    PlatformSettings() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ChangePlatformSettings command) {
        PlatformSettingsValues values = command.values();
        validate(values);
        if (!SOURCES.contains(command.source())) {
            throw BaserDbException.invalid("source", "must be update or import");
        }
        PlatformSettingsValues before = current == null ? command.initial() : current;
        if (values.equals(before) && current != null && !"import".equals(command.source())) {
            return;
        }
        apply(new PlatformSettingsChanged(command.settingsId(), command.source(), before, values));
    }

    private static void validate(PlatformSettingsValues values) {
        if (values.lockoutMaxAttempts() < 1 || values.lockoutMaxAttempts() > 1000) {
            throw BaserDbException.invalid("lockout_max_attempts", "must be between 1 and 1000");
        }
        if (values.lockoutDurationMs() < 1000 || values.lockoutDurationMs() > 7L * 24 * 3600 * 1000) {
            throw BaserDbException.invalid("lockout_duration_ms", "must be between 1000 and 604800000 (7 days)");
        }
        if (values.emailProvider() == null || !PROVIDERS.contains(values.emailProvider())) {
            throw BaserDbException.invalid("email_provider", "must be console or smtp");
        }
    }

    @EventSourcingHandler
    void on(PlatformSettingsChanged event) {
        settingsId = event.settingsId();
        current = event.settings();
    }
}
