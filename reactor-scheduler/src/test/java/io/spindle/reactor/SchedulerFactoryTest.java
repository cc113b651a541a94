package io.spindle.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code Schedulers.setFactory(SpindleScheduler.factory())}: {@code parallel()},
 * {@code newParallel} and {@code single()} become Spindle on Reactor's own threads (names,
 * daemon, {@code NonBlocking}), the rest stays Reactor's, and {@code VirtualTimeScheduler}
 * replaces and restores it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchedulerFactoryTest {

    @AfterEach
    void resetFactory() {
        Schedulers.resetFactory();
        VirtualTimeScheduler.reset();
    }

    @Test
    void parallelIsSpindleOnReactorsParallelThreads() {
        Schedulers.setFactory(SpindleScheduler.factory());
        final Scheduler parallel = Schedulers.parallel();

        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Flux.range(0, 200)
                .parallel()
                .runOn(parallel)
                .doOnNext(i -> threads.add(Thread.currentThread()))
                .sequential()
                .blockLast(Duration.ofSeconds(10));

        assertThat(cached(parallel)).isInstanceOf(SpindleScheduler.class).hasToString("spindle(" + Schedulers.DEFAULT_POOL_SIZE + ",\"parallel\")");
        assertThat(threads).isNotEmpty().allSatisfy(thread -> {
            assertThat(thread.getName()).matches("parallel-\\d+");
            assertThat(thread.isDaemon()).isTrue();
            assertThat(thread).isInstanceOf(NonBlocking.class);
        });
        assertThat(Mono.fromCallable(Schedulers::isInNonBlockingThread).subscribeOn(parallel).block(Duration.ofSeconds(10))).isTrue();
        assertThat(Mono.delay(Duration.ofMillis(1)).map(tick -> Thread.currentThread().getName()).block(Duration.ofSeconds(10)))
                .as("Reactor's default timer is Spindle too").startsWith("parallel-");
    }

    @Test
    void newParallelAndNewSingleAreSpindleTheRestStaysReactors() {
        Schedulers.setFactory(SpindleScheduler.factory());
        final Scheduler custom = Schedulers.newParallel("custom", 3);
        final Scheduler single = Schedulers.newSingle("lonely");
        final Scheduler elastic = Schedulers.newBoundedElastic(2, 10, "elastic");
        try {
            assertThat(custom).isInstanceOf(SpindleScheduler.class).hasToString("spindle(3,\"custom\")");
            assertThat(((SpindleScheduler) custom).pool().workerCount()).isEqualTo(3);
            assertThat(single).isInstanceOf(SpindleScheduler.class).hasToString("spindle(1,\"lonely\")");
            assertThat(Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(single).block(Duration.ofSeconds(10))).startsWith("lonely-");
            assertThat(elastic).isNotInstanceOf(SpindleScheduler.class);
        } finally {
            custom.dispose();
            single.dispose();
            elastic.dispose();
        }
        assertThat(((SpindleScheduler) custom).pool().isShutdown()).as("disposing a factory scheduler stops its pool").isTrue();
    }

    @Test
    void resetFactoryRestoresReactorsParallel() {
        Schedulers.setFactory(SpindleScheduler.factory());
        final Scheduler spindle = cached(Schedulers.parallel());
        assertThat(spindle).isInstanceOf(SpindleScheduler.class);

        Schedulers.resetFactory();

        assertThat(cached(Schedulers.parallel())).isNotInstanceOf(SpindleScheduler.class).hasToString("parallel(" + Schedulers.DEFAULT_POOL_SIZE + ",\"parallel\")");
        assertThat(spindle.isDisposed()).as("resetFactory disposed the cached Spindle parallel()").isTrue();
        assertThatThrownBy(() -> spindle.schedule(() -> { })).isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }

    @Test
    void virtualTimeReplacesTheSpindleFactoryAndResetRestoresIt() {
        Schedulers.setFactory(SpindleScheduler.factory());
        assertThat(Schedulers.newParallel("before", 1)).isInstanceOf(SpindleScheduler.class).satisfies(Scheduler::dispose);

        StepVerifier.withVirtualTime(() -> Mono.delay(Duration.ofHours(1)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(59))
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(0L)
                .verifyComplete();
        VirtualTimeScheduler.reset();

        final Scheduler after = Schedulers.newParallel("after", 1);
        try {
            assertThat(after).isInstanceOf(SpindleScheduler.class);
        } finally {
            after.dispose();
        }
    }

    @Test
    void factoryNamesPoolsAfterTheThreadFactoryPrefixOrSpindle() {
        final SpindleScheduler named = (SpindleScheduler) SpindleScheduler.factory().newParallel(2, new PrefixedFactory("prefixed"));
        final SpindleScheduler unnamed = (SpindleScheduler) SpindleScheduler.factory().newParallel(2, Thread::new);
        assertThat(named).hasToString("spindle(2,\"prefixed\")");
        assertThat(unnamed).hasToString("spindle(2,\"spindle\")");
        assertThat(named.isDisposed()).isFalse();
        named.dispose();
        unnamed.dispose();
        assertThat(SpindleScheduler.factory()).isSameAs(SpindleScheduler.factory());
    }

    /**
     * The scheduler behind one of Reactor's cached ones ({@code parallel()} is a
     * {@code CachedScheduler}, which is a {@code Supplier<Scheduler>} of what it wraps: not API,
     * but the only way to look inside).
     */
    private static Scheduler cached(Scheduler scheduler) {
        return scheduler instanceof java.util.function.Supplier<?> supplier && supplier.get() instanceof Scheduler inner ? inner : scheduler;
    }

    /** A thread factory that exposes its prefix the way Reactor's do. */
    private record PrefixedFactory(String prefix) implements java.util.concurrent.ThreadFactory, java.util.function.Supplier<String> {
        @Override
        public Thread newThread(Runnable runnable) {
            return new Thread(runnable, prefix);
        }

        @Override
        public String get() {
            return prefix;
        }
    }
}
