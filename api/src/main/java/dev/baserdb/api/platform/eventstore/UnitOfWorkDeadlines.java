package dev.baserdb.api.platform.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.timeout.TaskTimeoutSettings;
import org.axonframework.springboot.TimeoutProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The deadlines of units of work ({@link UnitOfWorkDeadline}) in place of Axon's timeout module
 * ({@code axon.timeout.enabled: false} in application.yml): on the command bus (a command with its
 * inline read models) and on every event processor (a batch), from Axon's own settings
 * ({@link TimeoutProperties}, {@code axon.timeout.transaction.*}, bound here since Axon's module no
 * longer binds them): 60 s to the timeout, warnings from 10 s, every second, unless set otherwise,
 * also per processor ({@code axon.timeout.transaction.event-processor.<name>.*}).
 */
@Configuration
@EnableConfigurationProperties(TimeoutProperties.class)
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
    ConfigurerModule unitOfWorkDeadlineModule(ScheduledExecutorService unitOfWorkDeadlineTimer,
                                              TimeoutProperties timeouts) {
        TimeoutProperties.TransactionTimeoutProperties transaction = timeouts.getTransaction();
        return configurer -> {
            configurer.eventProcessing().registerDefaultHandlerInterceptor((configuration, name) ->
                    new UnitOfWorkDeadline("EventProcessor[" + name + "]", settings(transaction.getEventProcessor()
                            .getOrDefault(name, transaction.getEventProcessors())), unitOfWorkDeadlineTimer));
            configurer.onStart(Integer.MIN_VALUE, () -> configurer.buildConfiguration().commandBus()
                    .registerHandlerInterceptor(new UnitOfWorkDeadline("CommandBus",
                            settings(transaction.getCommandBus()), unitOfWorkDeadlineTimer)));
        };
    }

    private static UnitOfWorkDeadline.Settings settings(TaskTimeoutSettings axon) {
        return new UnitOfWorkDeadline.Settings(Duration.ofMillis(axon.getTimeoutMs()),
                Duration.ofMillis(axon.getWarningThresholdMs()), Duration.ofMillis(axon.getWarningIntervalMs()));
    }
}
