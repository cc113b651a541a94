package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/**
 * A due one-shot timer's run against {@code cancel(false)}: the start of the run and the cancel
 * are CASes out of NEW, and exactly one wins (see {@link ScheduledTask}). Outcome: (the task
 * body ran, cancel returned true, the future reports cancelled).
 *
 * <p>The run wins: the body runs, {@code cancel} returns false, the future is not cancelled. The
 * cancel wins: nothing runs, {@code cancel} returns true. Never both (a cancel that "succeeded"
 * for a task that ran anyway: what {@code FutureTask}, which stays NEW while it runs, allows),
 * never neither (a lost task), and never a successful cancel the future does not report.
 */
@JCStressTest
@Outcome(id = "true, false, false", expect = ACCEPTABLE, desc = "The run started first; the cancel failed.")
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "The cancel came first; the task never ran.")
@Outcome(expect = FORBIDDEN, desc = "Both, neither, or cancelled without saying so.")
@State
public class ScheduledTaskCancelVsRunTest {

    private final Timers timers = new Timers(null, "stress", 1);
    private boolean ran;
    private final ScheduledTask<Void> task = new ScheduledTask<>(timers.shardFor(null),
            (Runnable) () -> ran = true, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));

    @Actor
    public void worker() {
        task.run();
    }

    @Actor
    public void canceller(ZZZ_Result r) {
        r.r2 = task.cancel(false);
    }

    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r1 = ran;
        r.r3 = task.isCancelled();
    }
}
