package io.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The contract run against the JDK's {@link ScheduledThreadPoolExecutor} with its default
 * policies: the peer that shows each test of {@link ScheduledExecutorContract} can pass, and
 * that what it pins is the JDK's behaviour rather than ours.
 */
class ScheduledThreadPoolExecutorContractTest extends ScheduledExecutorContract {

    @Override
    protected ScheduledExecutorService newExecutor() {
        return new ScheduledThreadPoolExecutor(2);
    }

    /**
     * {@code ScheduledThreadPoolExecutor} hands back its own {@code ScheduledFutureTask}s, which
     * are the futures {@code schedule*} returned, not the caller's tasks; {@code shutdownNow()}
     * leaves them neither done nor cancelled; and running one on the stopped executor cancels it
     * instead of running the caller's task.
     */
    @Override
    protected void assertReturnedPendingTask(Runnable returned, Runnable original, ScheduledFuture<?> future) {
        assertThat(returned).as("the element shutdownNow() returned").isSameAs(future);
        assertThat(future.isDone()).as("the future of a task shutdownNow() returned").isFalse();
        returned.run();
        assertThat(future.isCancelled()).as("the future after running the returned element").isTrue();
        assertThat(timesRun(original)).as("runs of the caller's task").isZero();
    }
}
