package dev.baserdb.api.platform.eventstore;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A unit of work that passes its deadline is warned about, interrupted and rolled back; one that
 * ends in time leaves nothing scheduled and no interrupt behind; nested units share their root's
 * deadline.
 */
class UnitOfWorkDeadlineTest {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final Logger log = (Logger) LoggerFactory.getLogger(UnitOfWorkDeadline.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void watchTheLog() {
        timer.setRemoveOnCancelPolicy(true);
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void stop() {
        log.detachAppender(logged);
        timer.shutdownNow();
    }

    @Test
    @Timeout(30)
    void aUnitOfWorkPastItsTimeoutIsWarnedAboutInterruptedAndRolledBack() {
        // the handler runs until the deadline interrupts it, however long that takes, and swallows the interrupt
        UnitOfWorkDeadline deadline = deadline(Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofMillis(50));
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean committed = new AtomicBoolean();
        AtomicBoolean rolledBack = new AtomicBoolean();

        assertThatThrownBy(() -> run(deadline, unitOfWork -> {
            unitOfWork.afterCommit(u -> committed.set(true));
            unitOfWork.onRollback(u -> rolledBack.set(true));
            while (!Thread.interrupted()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            interrupted.set(true);
            return "done";
        })).isInstanceOf(AxonTimeoutException.class).hasMessageContaining("CommandBus");

        assertThat(interrupted).isTrue();
        assertThat(committed).isFalse();
        assertThat(rolledBack).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).as("the deadline's interrupt is not left on the thread").isFalse();
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN).isNotEmpty()
                .allSatisfy(event -> assertThat(event.getFormattedMessage())
                        .contains("CommandBus", "UnitOfWorkDeadlineTest"));
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.ERROR).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).contains("timeout of 300 ms"));
        assertThat(timer.getQueue()).isEmpty();
    }

    @Test
    void aUnitOfWorkThatEndsInTimeCommitsAndLeavesNothingScheduled() throws Exception {
        UnitOfWorkDeadline deadline = deadline(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(1));
        AtomicInteger scheduledDuring = new AtomicInteger();

        Object result = run(deadline, unitOfWork -> {
            scheduledDuring.set(timer.getQueue().size());
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(scheduledDuring).hasValue(1);
        assertThat(timer.getQueue()).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(logged.list).isEmpty();
    }

    @Test
    void nestedUnitsOfWorkShareTheDeadlineOfTheirRoot() throws Exception {
        UnitOfWorkDeadline deadline = deadline(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(1));
        AtomicInteger scheduledInside = new AtomicInteger();

        run(deadline, outer -> {
            for (int i = 0; i < 3; i++) {
                run(deadline, inner -> {
                    scheduledInside.set(timer.getQueue().size());
                    return null;
                });
            }
            return null;
        });

        assertThat(scheduledInside).hasValue(1);
        assertThat(timer.getQueue()).isEmpty();
    }

    @Test
    void aTimeoutOfZeroSetsNoDeadline() throws Exception {
        UnitOfWorkDeadline deadline = deadline(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(1));
        AtomicInteger scheduledDuring = new AtomicInteger(-1);

        run(deadline, unitOfWork -> {
            scheduledDuring.set(timer.getQueue().size());
            return null;
        });

        assertThat(scheduledDuring).hasValue(0);
    }

    private UnitOfWorkDeadline deadline(Duration timeout, Duration warning, Duration interval) {
        return new UnitOfWorkDeadline("CommandBus", new UnitOfWorkDeadline.Settings(timeout, warning, interval), timer);
    }

    private interface Handler {
        Object handle(UnitOfWork<?> unitOfWork) throws Exception;
    }

    /** Runs the handler behind the deadline in a new unit of work (nested when one is active), as a bus does. */
    private static Object run(UnitOfWorkDeadline deadline, Handler handler) throws Exception {
        DefaultUnitOfWork<Message<?>> unitOfWork = DefaultUnitOfWork.startAndGet(new GenericMessage<>("test"));
        Callable<Object> task = () -> deadline.handle(unitOfWork, () -> handler.handle(unitOfWork));
        var result = unitOfWork.executeWithResult(task, RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            if (failure instanceof Exception e) {
                throw e;
            }
            throw (Error) failure;
        }
        return result.getPayload();
    }
}
