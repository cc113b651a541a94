package io.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code ScheduledExecutorService} contract run against {@link WorkStealingPool}, with the
 * two places where Spindle is stricter or more useful than the JDK's executor pinned down.
 */
@Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class WorkStealingPoolScheduledContractTest extends ScheduledExecutorContract {

    @Override
    protected ScheduledExecutorService newExecutor() {
        return WorkStealingPool.builder().name("contract").workers(2).build();
    }

    /**
     * The pool hands back the futures {@code schedule*} returned, not done and not cancelled,
     * like {@code ScheduledThreadPoolExecutor}. Unlike it, running a returned one-shot task runs
     * the caller's task and completes the future (so a caller can drain what it got back);
     * running a returned periodic task cancels it, since it can no longer be scheduled again.
     */
    @Override
    protected void assertReturnedPendingTask(Runnable returned, Runnable original, ScheduledFuture<?> future) {
        assertThat(returned).as("the element shutdownNow() returned").isSameAs(future);
        assertThat(future.isDone()).as("the future of a task shutdownNow() returned").isFalse();
        returned.run();
        if (((RunnableScheduledFuture<?>) future).isPeriodic()) {
            assertThat(future.isCancelled()).as("a returned periodic task after running it").isTrue();
            assertThat(timesRun(original)).as("runs of the caller's periodic task").isZero();
        } else {
            assertThat(future.isDone()).as("a returned one-shot task after running it").isTrue();
            assertThat(future.isCancelled()).isFalse();
            assertThat(timesRun(original)).as("runs of the caller's one-shot task").isEqualTo(1);
        }
    }

    /** A successful {@code cancel(false)} means the task never ran (see {@code ScheduledTask}). */
    @Override
    protected boolean cancelSucceedsOnlyBeforeTheTaskStarts() {
        return true;
    }
}
