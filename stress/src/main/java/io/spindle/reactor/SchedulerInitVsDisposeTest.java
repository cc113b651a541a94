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
 * {@code init()} against {@code dispose()} on an uninitialised scheduler that owns its pool. Both
 * CAS {@code lifecycle} from null: {@code init()} to a fresh lifecycle with the pool it built,
 * {@code dispose()} to {@code DISPOSED_BEFORE_INIT}. If the dispose wins, {@code init()} shuts
 * down the pool it built (if it got that far) and throws, as Reactor's schedulers do ("Initializing
 * a disposed scheduler is not permitted"); if the init wins, the dispose finds its lifecycle and
 * shuts its pool down. Either way the scheduler ends disposed and no pool is left running.
 *
 * <p>The init builds a pool before its CAS, which takes far longer than the whole dispose: most
 * samples see the dispose first. Outcome: ({@code init()} threw; pools built; pools still
 * running; the scheduler reports disposed), booleans as 0/1.
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "Disposed before init() looked: nothing built, init() threw.")
@Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "Disposed while init() built: it shut its pool down and threw.")
@Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE, desc = "Initialised first: the dispose shut the pool down.")
@Outcome(expect = FORBIDDEN, desc = "A pool left running, or the scheduler not disposed.")
@State
public class SchedulerInitVsDisposeTest {

    private final SchedulerInitRace race = new SchedulerInitRace();

    @Actor
    public void init(IIII_Result r) {
        try {
            race.scheduler.init();
        } catch (IllegalStateException disposed) {
            r.r1 = 1;
        }
    }

    @Actor
    public void disposer() {
        race.scheduler.dispose();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r2 = race.built();
        r.r3 = race.running().size();
        r.r4 = race.scheduler.isDisposed() ? 1 : 0;
        race.cleanUp();
    }
}
