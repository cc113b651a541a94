package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * {@link SerialMailboxEnqueueVsDrainExitTest} with the drain's re-check removed: the negative
 * control that shows the re-check is what prevents the lost wake-up. Same start (a drain that
 * has taken its one task, a producer with another), same producer; the drain gives its count
 * back and stops without looking at the result, as a drain would that decided to stop because
 * its queue looked empty. Outcome: (the producer must start a drain, the drain went on; always
 * false here).
 *
 * <p>Whenever the producer's increment comes before the drain's decrement, the producer sees a
 * drain in progress and leaves the task to it, and the drain stops anyway: {@code false, false},
 * a task nobody will run, which {@link SerialMailboxEnqueueVsDrainExitTest} forbids. It is
 * marked interesting rather than forbidden so the suite passes while showing that it happens.
 */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The drain stopped first; the producer started the next one.")
@Outcome(id = "false, false", expect = ACCEPTABLE_INTERESTING, desc = "Lost wake-up, as expected without the re-check: the producer left its task to a drain that stopped.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen: this drain never goes on.")
@State
public class SerialMailboxExitWithoutRecheckLosesWakeup {

    private final SerialMailboxRace race = new SerialMailboxRace();

    @Actor
    public void producer(ZZ_Result r) {
        r.r1 = race.produce();
    }

    @Actor
    public void drainExits(ZZ_Result r) {
        r.r2 = race.drainExitIgnoringRemaining();
    }
}
