package io.spindle.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZII_Result;

/**
 * {@link PeriodicRegistry#add} against {@link PeriodicRegistry#dispose()}: {@code add} puts the
 * member in the set, then reads {@code disposed}; {@code dispose} stores {@code disposed}, then
 * walks the set. The set's insertion and the flag are both sequentially consistent, so at least
 * one side sees the other: the walk disposes the member, or {@code add} finds the registry
 * disposed and disposes it itself (both, harmlessly, when each sees the other). A member added
 * during a dispose and disposed by nobody would be a periodic task that outlives its scheduler
 * or Worker.
 *
 * <p>Outcome: ({@code add} returned true; times the member was disposed; members left in the
 * set).
 */
@JCStressTest
@Outcome(id = "true, 1, 0", expect = ACCEPTABLE, desc = "Added first: the walk disposed it.")
@Outcome(id = "false, 1, 0", expect = ACCEPTABLE, desc = "Added after the walk: add saw the registry disposed and disposed it.")
@Outcome(id = "false, 2, 0", expect = ACCEPTABLE, desc = "Each saw the other: disposed twice, harmlessly.")
@Outcome(expect = FORBIDDEN, desc = "The member was not disposed, or is left in the set.")
@State
public class PeriodicRegistryAddVsDisposeTest {

    private final PeriodicRegistry registry = new PeriodicRegistry();
    private final DisposeCounter member = new DisposeCounter();

    @Actor
    public void adder(ZII_Result r) {
        r.r1 = registry.add(member);
    }

    @Actor
    public void disposer() {
        registry.dispose();
    }

    @Arbiter
    public void arbiter(ZII_Result r) {
        r.r2 = member.disposals();
        r.r3 = registry.size();
    }
}
