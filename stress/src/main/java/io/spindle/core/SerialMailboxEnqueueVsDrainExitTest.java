package io.spindle.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The serial mailbox's lost wake-up race: a producer enqueues while the drain, having run the
 * last task it knew of, decides whether to stop (see {@link SerialMailbox}). Outcome: (the
 * producer's enqueue found the count at 0 and must start a drain, the drain went on and took the
 * producer's task).
 *
 * <p>{@code false, false} is the lost wake-up: the task sits in the mailbox and no drain will
 * ever run it. {@code true, true} is two drains at once: the worker's tasks would overlap. Both
 * are impossible because the producer's increment and the drain's decrement are
 * read-modify-writes of the one count, so exactly one of them sees the other: if the increment
 * comes first the decrement does not reach 0 and the drain goes on (and finds the task linked,
 * since the link comes before the increment); if the decrement comes first it reaches 0 and the
 * increment starts from 0. {@link SerialMailboxExitWithoutRecheckLosesWakeup} shows the lost
 * task of a drain that ignores what its decrement returned.
 */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The drain stopped first; the producer started the next one.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The producer came first; the drain went on and took its task.")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "Lost wake-up: the task is queued and no drain will run it.")
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "Two drains at once: the worker's tasks would overlap.")
@State
public class SerialMailboxEnqueueVsDrainExitTest {

    private final SerialMailboxRace race = new SerialMailboxRace();

    @Actor
    public void producer(ZZ_Result r) {
        r.r1 = race.produce();
    }

    @Actor
    public void drainExits(ZZ_Result r) {
        r.r2 = race.drainExit();
    }
}
