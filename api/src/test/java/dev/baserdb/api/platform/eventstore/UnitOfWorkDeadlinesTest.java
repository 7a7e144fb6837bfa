package dev.baserdb.api.platform.eventstore;

import org.axonframework.springboot.TimeoutProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The deadlines' settings bind from the variables docs/configuration.md names, with Axon's defaults. */
class UnitOfWorkDeadlinesTest {

    @Test
    void theDocumentedVariablesSetTheDeadlines_theRestKeepAxonsDefaults() {
        TimeoutProperties timeouts = bind(Map.of(
                "AXON_TIMEOUT_TRANSACTION_COMMAND_BUS_TIMEOUT_MS", "1234",
                "AXON_TIMEOUT_TRANSACTION_EVENT_PROCESSORS_WARNING_THRESHOLD_MS", "567"));

        assertThat(timeouts.getTransaction().getCommandBus().getTimeoutMs()).isEqualTo(1234);
        assertThat(timeouts.getTransaction().getCommandBus().getWarningThresholdMs()).isEqualTo(10_000);
        assertThat(timeouts.getTransaction().getCommandBus().getWarningIntervalMs()).isEqualTo(1_000);
        assertThat(timeouts.getTransaction().getEventProcessors().getTimeoutMs()).isEqualTo(60_000);
        assertThat(timeouts.getTransaction().getEventProcessors().getWarningThresholdMs()).isEqualTo(567);
    }

    private static TimeoutProperties bind(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        return new Binder(ConfigurationPropertySources.from(sources))
                .bindOrCreate("axon.timeout", TimeoutProperties.class);
    }
}
