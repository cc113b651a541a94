package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link PeriodicRegistryAddVsDisposeTest} with {@code add}'s read of {@code disposed} after the
 * insertion removed ({@link PeriodicRegistryRace#addWithoutRecheck}): the negative control that
 * shows the re-read is what disposes a member added during the registry's dispose. Same
 * registry, same {@code dispose()}. Outcome: (times the member was disposed; members left in the
 * set).
 *
 * <p>Whenever the walk of the set comes before the insertion, nobody disposes the member and it
 * stays in a disposed registry: {@code 0, 1}, which {@link PeriodicRegistryAddVsDisposeTest}
 * forbids (for a scheduler's registry, a periodic task ticking on after its scheduler was
 * disposed). Marked interesting rather than forbidden, so the suite passes while showing that
 * it happens.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Added first: the walk disposed it.")
@Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "Leaked, as expected without the re-read: added after the walk.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen.")
@State
public class PeriodicRegistryAddWithoutRecheckLeaks {

    private final PeriodicRegistry registry = new PeriodicRegistry();
    private final DisposeCounter member = new DisposeCounter();

    @Actor
    public void adder() {
        PeriodicRegistryRace.addWithoutRecheck(registry, member);
    }

    @Actor
    public void disposer() {
        registry.dispose();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = member.disposals();
        r.r2 = registry.size();
    }
}
