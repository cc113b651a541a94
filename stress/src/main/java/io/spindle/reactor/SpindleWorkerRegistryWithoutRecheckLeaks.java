package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

/**
 * {@link SpindleWorkerPeriodicVsDisposeTest} with the maker's read of the Worker's disposed flag
 * after its CAS removed ({@link SpindleWorkerRace#makeRegistryWithoutRecheck}): the negative
 * control that shows the re-check is what keeps a disposed Worker's registry out of the
 * scheduler's. Same Worker, same {@code dispose()}. Outcome: (the maker rejected up front;
 * registries left in the scheduler's registry).
 *
 * <p>Whenever the whole dispose runs between the maker's up-front check and its CAS, the dispose
 * finds no registry and the maker registers one nobody will remove: {@code false, 1}, which
 * {@link SpindleWorkerPeriodicVsDisposeTest} forbids. Marked interesting rather than forbidden,
 * so the suite passes while showing that it happens.
 */
@JCStressTest
@Outcome(id = "true, 0", expect = ACCEPTABLE, desc = "The Worker was disposed first: rejected up front.")
@Outcome(id = "false, 0", expect = ACCEPTABLE, desc = "The dispose found the registry and removed it.")
@Outcome(id = "false, 1", expect = ACCEPTABLE_INTERESTING, desc = "Leaked, as expected without the re-check: registered after the dispose looked.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen.")
@State
public class SpindleWorkerRegistryWithoutRecheckLeaks {

    private final Lifecycle lifecycle = ReactorStress.lifecycle();
    private final SpindleWorker worker = ReactorStress.worker(lifecycle);

    @Actor
    public void scheduler(ZI_Result r) {
        r.r1 = !SpindleWorkerRace.makeRegistryWithoutRecheck(worker, lifecycle);
    }

    @Actor
    public void disposer() {
        worker.dispose();
    }

    @Arbiter
    public void arbiter(ZI_Result r) {
        r.r2 = lifecycle.periodic.size();
    }
}
