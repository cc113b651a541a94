package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.schedulers.Schedulers;

/**
 * The contract against {@code Schedulers.computation()} after
 * {@link SpindleRxScheduler#installAsComputation()}: what applications that install Spindle get
 * from every operator that defaults to {@code computation()}. Undone after each test.
 */
class SpindleRxSchedulerInstalledContractTest extends RxSchedulerContract {

    @Override
    protected Scheduler scheduler() {
        SpindleRxScheduler.installAsComputation();
        final Scheduler computation = Schedulers.computation();
        assertThat(computation).as("Schedulers.computation() after installAsComputation()").isInstanceOf(SpindleRxScheduler.class);
        return computation;
    }

    @Override
    protected void release(Scheduler scheduler) {
        SpindleRxScheduler.uninstallComputation();
        assertThat(Schedulers.computation()).as("Schedulers.computation() after uninstallComputation()")
                .isNotInstanceOf(SpindleRxScheduler.class);
    }

    @Override
    protected boolean isSpindle() {
        return true;
    }
}
