package io.spindle.rxjava;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.schedulers.Schedulers;

/** The contract against RxJava's {@code Schedulers.computation()}: the peer Spindle replaces. */
class ComputationSchedulerContractTest extends RxSchedulerContract {

    @Override
    protected Scheduler scheduler() {
        return Schedulers.computation();
    }
}
