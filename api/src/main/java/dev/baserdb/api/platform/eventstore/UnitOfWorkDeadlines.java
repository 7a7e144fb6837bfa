package dev.baserdb.api.platform.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The deadlines of units of work ({@link UnitOfWorkDeadline}) in place of Axon's timeout module
 * ({@code axon.timeout.enabled: false} in application.yml): on the command bus (a command with its
 * inline read models) and on every event processor (a batch), with Axon's property names and
 * defaults: 60 s to the timeout, warnings from 10 s, every second.
 */
@Configuration
class UnitOfWorkDeadlines {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService unitOfWorkDeadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "unit-of-work-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // a deadline is cancelled by almost every unit of work: take it off the queue at once
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @Bean
    ConfigurerModule unitOfWorkDeadlineModule(
            ScheduledExecutorService unitOfWorkDeadlineTimer,
            @Value("${axon.timeout.transaction.command-bus.timeout-ms:60000}") long commandTimeout,
            @Value("${axon.timeout.transaction.command-bus.warning-threshold-ms:10000}") long commandWarning,
            @Value("${axon.timeout.transaction.command-bus.warning-interval-ms:1000}") long commandInterval,
            @Value("${axon.timeout.transaction.event-processors.timeout-ms:60000}") long batchTimeout,
            @Value("${axon.timeout.transaction.event-processors.warning-threshold-ms:10000}") long batchWarning,
            @Value("${axon.timeout.transaction.event-processors.warning-interval-ms:1000}") long batchInterval) {
        UnitOfWorkDeadline.Settings commands = settings(commandTimeout, commandWarning, commandInterval);
        UnitOfWorkDeadline.Settings batches = settings(batchTimeout, batchWarning, batchInterval);
        return configurer -> {
            configurer.eventProcessing().registerDefaultHandlerInterceptor((configuration, name) ->
                    new UnitOfWorkDeadline("EventProcessor[" + name + "]", batches, unitOfWorkDeadlineTimer));
            configurer.onStart(Integer.MIN_VALUE, () -> configurer.buildConfiguration().commandBus()
                    .registerHandlerInterceptor(
                            new UnitOfWorkDeadline("CommandBus", commands, unitOfWorkDeadlineTimer)));
        };
    }

    private static UnitOfWorkDeadline.Settings settings(long timeoutMs, long warningMs, long intervalMs) {
        return new UnitOfWorkDeadline.Settings(Duration.ofMillis(timeoutMs), Duration.ofMillis(warningMs),
                Duration.ofMillis(intervalMs));
    }
}
