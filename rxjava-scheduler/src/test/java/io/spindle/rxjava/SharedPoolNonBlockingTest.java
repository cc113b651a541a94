package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.spindle.core.WorkStealingPool;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One pool behind a Reactor scheduler and an RxJava scheduler at the same time (Spindle-only):
 * its threads refuse to block for both libraries, whichever of the two schedulers runs the task.
 * The Reactor side is Reactor's own {@code Schedulers.fromExecutorService} over the pool until the
 * Reactor adapter exists; what is tested is the threads, which the pool makes once for both.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedPoolNonBlockingTest {

    private final WorkStealingPool pool = WorkStealingPool.builder().name("shared").workers(2).build();
    private final SpindleRxScheduler rx = SpindleRxScheduler.wrap(pool);
    private final Scheduler reactor = Schedulers.fromExecutorService(pool);

    @AfterEach
    void stop() throws InterruptedException {
        RxJavaPlugins.reset();
        rx.shutdown();
        reactor.dispose();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void rxJavaTasksOnASharedPoolCannotBlockForEitherLibrary() throws Exception {
        RxJavaPlugins.setFailOnNonBlockingScheduler(true);
        final CompletableFuture<Throwable> rxBlocking = new CompletableFuture<>();
        final CompletableFuture<Throwable> reactorBlocking = new CompletableFuture<>();
        rx.scheduleDirect(() -> {
            rxBlocking.complete(attempt(() -> Flowable.never().blockingFirst()));
            reactorBlocking.complete(attempt(() -> Mono.never().block(Duration.ofMillis(1))));
        });
        assertRefused(rxBlocking, "RxJava blockingFirst() on a task of the RxJava scheduler");
        assertRefused(reactorBlocking, "Reactor block() on a task of the RxJava scheduler");
    }

    @Test
    void reactorTasksOnASharedPoolCannotBlockForEitherLibrary() throws Exception {
        RxJavaPlugins.setFailOnNonBlockingScheduler(true);
        final CompletableFuture<Throwable> rxBlocking = new CompletableFuture<>();
        final CompletableFuture<Throwable> reactorBlocking = new CompletableFuture<>();
        reactor.schedule(() -> {
            rxBlocking.complete(attempt(() -> Flowable.never().blockingFirst()));
            reactorBlocking.complete(attempt(() -> Mono.never().block(Duration.ofMillis(1))));
        });
        assertRefused(rxBlocking, "RxJava blockingFirst() on a task of the Reactor scheduler");
        assertRefused(reactorBlocking, "Reactor block() on a task of the Reactor scheduler");
    }

    /** What running {@code blocking} threw, or an AssertionError saying it did not throw. */
    private static Throwable attempt(Runnable blocking) {
        try {
            blocking.run();
            return new AssertionError("the blocking call returned instead of throwing");
        } catch (Throwable e) {
            return e;
        }
    }

    private static void assertRefused(CompletableFuture<Throwable> outcome, String what) throws Exception {
        assertThat(outcome.get(RxTestSupport.PROMPTLY.toSeconds(), TimeUnit.SECONDS)).as(what).isInstanceOf(IllegalStateException.class);
    }
}
