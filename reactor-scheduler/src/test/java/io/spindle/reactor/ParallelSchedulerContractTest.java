package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.nonBlockingThreads;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The contract against Reactor's own {@code Schedulers.newParallel}: the peer Spindle replaces,
 * which shows that each test can pass on a scheduler Reactor ships (tests named
 * {@code spindleOnly...} are skipped here).
 */
class ParallelSchedulerContractTest extends ReactorSchedulerContract {

    /** Reactor's default factory: {@code newParallel} hands back an uninitialised {@code ParallelScheduler}. */
    private static final Schedulers.Factory REACTOR_DEFAULTS = new Schedulers.Factory() {};

    @Override
    protected Scheduler scheduler() {
        return Schedulers.newParallel(name(), WORKERS);
    }

    @Override
    protected Scheduler freshScheduler() {
        return REACTOR_DEFAULTS.newParallel(WORKERS, nonBlockingThreads("contract-fresh"));
    }

    @Override
    protected String name() {
        return "contract-parallel";
    }
}
