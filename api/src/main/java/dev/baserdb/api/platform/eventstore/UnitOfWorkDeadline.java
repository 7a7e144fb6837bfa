package dev.baserdb.api.platform.eventstore;

import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A deadline for a whole unit of work (a command with its inline handlers, a batch of an
 * asynchronous processor), as Axon's {@code UnitOfWorkTimeoutInterceptor} sets one: from the
 * warning threshold on, a warning with the handling thread's stack every interval; at the timeout
 * the thread is interrupted and the unit of work rolls back with an {@link AxonTimeoutException}.
 * One deadline per root unit of work and component, however many units are nested in it.
 *
 * <p>Axon's interceptor walks the whole stack of the calling thread at the start of every unit of
 * work, to name the class that started it: below a servlet filter chain, 9.1 % of the CPU of a lone
 * client's inserts and 5.8 % at 16 clients (async-profiler). This one starts with two fields and a
 * scheduled task, and takes a thread's stack only when there is something to warn about.
 */
final class UnitOfWorkDeadline implements MessageHandlerInterceptor<Message<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(UnitOfWorkDeadline.class);

    private final String component;
    private final String resourceKey;
    private final Settings settings;
    private final ScheduledExecutorService timer;

    /** Timeout, warning threshold and warning interval; a zero or negative timeout sets no deadline. */
    record Settings(Duration timeout, Duration warningThreshold, Duration warningInterval) {
    }

    UnitOfWorkDeadline(String component, Settings settings, ScheduledExecutorService timer) {
        this.component = component;
        this.resourceKey = UnitOfWorkDeadline.class.getName() + "." + component;
        this.settings = settings;
        this.timer = timer;
    }

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        if (settings.timeout().isNegative() || settings.timeout().isZero()) {
            return interceptorChain.proceed();
        }
        UnitOfWork<?> root = unitOfWork.root();
        Watch watch = (Watch) root.resources().get(resourceKey);
        if (watch == null) {
            watch = new Watch(Thread.currentThread(), System.nanoTime());
            root.resources().put(resourceKey, watch);
            Watch started = watch;
            root.onCleanup(done -> started.cancel());
            watch.start();
        }
        Object result = interceptorChain.proceed();
        watch.failIfTimedOut();
        return result;
    }

    /** The deadline of one root unit of work: its next warning or its timeout, scheduled on the timer. */
    private final class Watch {

        private final Thread thread;
        private final long startNanos;
        private ScheduledFuture<?> next;
        private boolean done;
        private volatile boolean timedOut;

        Watch(Thread thread, long startNanos) {
            this.thread = thread;
            this.startNanos = startNanos;
        }

        synchronized void start() {
            Duration warning = settings.warningThreshold();
            if (!warning.isNegative() && warning.compareTo(settings.timeout()) < 0) {
                schedule(warning, this::warn);
            } else {
                schedule(settings.timeout(), this::timeOut);
            }
        }

        private void schedule(Duration after, Runnable task) {
            next = timer.schedule(task, Math.max(0, after.toNanos()), TimeUnit.NANOSECONDS);
        }

        private synchronized void warn() {
            if (done) {
                return;
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            Duration left = settings.timeout().minus(elapsed);
            LOG.warn("Unit of work of {} on thread {} has run for {} ms; {} ms left before it is interrupted. At:{}",
                    component, thread.getName(), elapsed.toMillis(), Math.max(0, left.toMillis()), stack());
            Duration interval = settings.warningInterval().isNegative() || settings.warningInterval().isZero()
                    ? left : settings.warningInterval();
            if (interval.compareTo(left) < 0) {
                schedule(interval, this::warn);
            } else {
                schedule(left, this::timeOut);
            }
        }

        private synchronized void timeOut() {
            if (done) {
                return;
            }
            timedOut = true;
            LOG.error("Unit of work of {} on thread {} passed its timeout of {} ms: interrupting it. At:{}",
                    component, thread.getName(), settings.timeout().toMillis(), stack());
            thread.interrupt();
        }

        private String stack() {
            return Arrays.stream(thread.getStackTrace())
                    .map(frame -> "\n\tat " + frame)
                    .collect(Collectors.joining());
        }

        /** When the unit of work is done (committed or rolled back), on its own thread. */
        synchronized void cancel() {
            done = true;
            if (next != null) {
                next.cancel(false);
            }
            if (timedOut && Thread.currentThread() == thread) {
                // timed out after its handlers returned: the interrupt must not reach the thread's next task
                Thread.interrupted();
            }
        }

        /** After the handlers: a unit of work that passed its timeout does not commit. */
        void failIfTimedOut() {
            if (timedOut) {
                // the interrupt is this deadline's, not the caller's: do not leave it set on the thread
                Thread.interrupted();
                throw new AxonTimeoutException("Unit of work of " + component + " passed its timeout of "
                        + settings.timeout().toMillis() + " ms");
            }
        }
    }
}
