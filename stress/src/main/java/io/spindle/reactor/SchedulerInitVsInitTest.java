package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.spindle.core.WorkStealingPool;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIZ_Result;

/**
 * Two {@code init()} calls racing on an uninitialised scheduler that owns its pool (what
 * Reactor's {@code Schedulers.newParallel} and a user's own {@code init()} may do at once).
 * Each reads {@code lifecycle}; one that finds null builds a pool and CASes its lifecycle in
 * ({@code compareAndExchange} from null); the loser shuts its own pool down and adopts the
 * winner's. So exactly one pool survives, and it is the one the scheduler uses; no pool, with
 * its threads, is left running unowned.
 *
 * <p>Outcome: (pools built: 1 if the second call found the first's lifecycle, 2 if both built;
 * pools still running; the running one is {@code pool()}).
 */
@JCStressTest
@Outcome(id = "1, 1, true", expect = ACCEPTABLE, desc = "One call built the pool; the other found it.")
@Outcome(id = "2, 1, true", expect = ACCEPTABLE, desc = "Both built; the loser of the CAS shut its pool down.")
@Outcome(expect = FORBIDDEN, desc = "A pool left running unowned, or none running, or the scheduler uses another.")
@State
public class SchedulerInitVsInitTest {

    private final SchedulerInitRace race = new SchedulerInitRace();

    @Actor
    public void first() {
        race.scheduler.init();
    }

    @Actor
    public void second() {
        race.scheduler.init();
    }

    @Arbiter
    public void arbiter(IIZ_Result r) {
        r.r1 = race.built();
        final List<WorkStealingPool> running = race.running();
        r.r2 = running.size();
        r.r3 = running.size() == 1 && running.get(0) == race.scheduler.pool();
        race.cleanUp();
    }
}
