package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two consecutive runs of a periodic direct task (two ticks of its fixed-rate timer) against
 * {@code dispose()} from another thread (see {@link DirectRun}). Unlike a one-shot task, a
 * periodic run ends by going back to IDLE (RUNNING → IDLE), ready for the next tick; the dispose
 * must stop the task wherever it lands: before a run (that run and every later one never start),
 * between the runs (the second never starts), during a run (interrupted before it returns, and
 * the run's end leaves the task DONE, not IDLE, so the next tick finds it stopped).
 *
 * <p>Outcome: (an interrupt was pending before the first run, which would be one delivered after
 * an earlier run had returned; runs of the task body; the thread was interrupted when the first
 * run returned; when the second did).
 */
@JCStressTest
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "Disposed before the first run: the task never ran.")
@Outcome(id = "0, 1, 1, 0", expect = ACCEPTABLE, desc = "Disposed during the first run: interrupted; the second never started.")
@Outcome(id = "0, 1, 0, 0", expect = ACCEPTABLE, desc = "Disposed between the runs: the second never started.")
@Outcome(id = "0, 2, 0, 1", expect = ACCEPTABLE, desc = "Disposed during the second run: interrupted.")
@Outcome(id = "0, 2, 0, 0", expect = ACCEPTABLE, desc = "Disposed after both runs.")
@Outcome(id = {"0, 2, 1, 0", "0, 2, 1, 1"}, expect = FORBIDDEN, desc = "The task ran again after a dispose had stopped it.")
@Outcome(expect = FORBIDDEN, desc = "An interrupt outside the run it was meant for.")
@State
public class PeriodicDirectTaskDisposeVsRunsTest {

    private static final Lifecycle LIFECYCLE = ReactorStress.lifecycle();

    private int runs;
    private final PeriodicDirectTask task = new PeriodicDirectTask(() -> runs++, LIFECYCLE, false);

    @Actor
    public void ticks(IIII_Result r) {
        r.r1 = Thread.interrupted() ? 1 : 0;
        task.run();
        r.r3 = Thread.interrupted() ? 1 : 0;
        task.run();
        r.r4 = Thread.interrupted() ? 1 : 0;
        r.r2 = runs;
    }

    @Actor
    public void disposer() {
        task.dispose();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        if (!task.isDisposed()) {
            r.r1 = -1;
        }
    }
}
