package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.spindle.core.WorkStealingPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SpindleRxScheduler#installAsComputation()} and its undo: {@code computation()} becomes
 * one shared Spindle scheduler, which {@code Schedulers.shutdown()/start()} stop and restart, and
 * {@link SpindleRxScheduler#uninstallComputation()} gives RxJava's own back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InstallAsComputationTest {

    @AfterEach
    void uninstall() {
        SpindleRxScheduler.uninstallComputation();
        RxJavaPlugins.reset();
    }

    @Test
    void computationIsOneSpindleSchedulerUntilUninstalled() {
        final Scheduler rxOwn = Schedulers.computation();
        assertThat(rxOwn).isNotInstanceOf(SpindleRxScheduler.class);

        SpindleRxScheduler.installAsComputation();
        SpindleRxScheduler.installAsComputation();
        final Scheduler installed = Schedulers.computation();
        assertThat(installed).isInstanceOf(SpindleRxScheduler.class).isSameAs(Schedulers.computation());
        final SpindleRxScheduler spindle = (SpindleRxScheduler) installed;
        assertThat(spindle.ownsPool()).isTrue();
        final String thread = Flowable.just(1).observeOn(Schedulers.computation())
                .map(ignored -> Thread.currentThread().getName()).blockingFirst();
        assertThat(thread).startsWith(SpindleRxScheduler.COMPUTATION_NAME);
        assertThat(spindle.pool().isWorkerThread(Thread.currentThread())).isFalse();

        SpindleRxScheduler.uninstallComputation();
        assertThat(Schedulers.computation()).isSameAs(rxOwn);
        assertThat(spindle.isShutdown()).isTrue();
        assertThat(spindle.pool().isShutdown()).isTrue();

        SpindleRxScheduler.installAsComputation();
        assertThat(Schedulers.computation()).as("a fresh scheduler after re-installing").isNotSameAs(spindle).isInstanceOf(SpindleRxScheduler.class);
    }

    @Test
    void schedulersShutdownAndStartStopAndRestartTheInstalledScheduler() throws InterruptedException {
        SpindleRxScheduler.installAsComputation();
        final SpindleRxScheduler spindle = (SpindleRxScheduler) Schedulers.computation();
        final WorkStealingPool first = spindle.pool();

        Schedulers.shutdown();
        assertThat(first.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(spindle.isShutdown()).isTrue();

        Schedulers.start();
        assertThat(spindle.isShutdown()).isFalse();
        assertThat(spindle.pool()).isNotSameAs(first);
        assertThat(Flowable.range(1, 1000).observeOn(Schedulers.computation()).blockingLast()).isEqualTo(1000);
    }

    @Test
    void uninstallWithoutInstallIsANoOp() {
        SpindleRxScheduler.uninstallComputation();
        assertThat(Schedulers.computation()).isNotInstanceOf(SpindleRxScheduler.class);
    }

    @Test
    void computationThreadsFollowsRxJavasProperty() {
        final int processors = Runtime.getRuntime().availableProcessors();
        final String previous = System.getProperty(SpindleRxScheduler.COMPUTATION_THREADS_PROPERTY);
        try {
            System.setProperty(SpindleRxScheduler.COMPUTATION_THREADS_PROPERTY, "1");
            assertThat(SpindleRxScheduler.ComputationHolder.computationThreads()).isEqualTo(1);
            System.setProperty(SpindleRxScheduler.COMPUTATION_THREADS_PROPERTY, String.valueOf(processors + 1));
            assertThat(SpindleRxScheduler.ComputationHolder.computationThreads()).isEqualTo(processors);
            System.clearProperty(SpindleRxScheduler.COMPUTATION_THREADS_PROPERTY);
            assertThat(SpindleRxScheduler.ComputationHolder.computationThreads()).isEqualTo(processors);
        } finally {
            if (previous != null) {
                System.setProperty(SpindleRxScheduler.COMPUTATION_THREADS_PROPERTY, previous);
            } else {
                System.clearProperty(SpindleRxScheduler.COMPUTATION_THREADS_PROPERTY);
            }
        }
    }
}
