package io.spindle.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Spindle installed as the {@code Schedulers.Factory} and reactor-test's
 * {@link VirtualTimeScheduler} (reference.md §6): the virtual scheduler takes over every default
 * timer for the length of a {@code withVirtualTime} scenario, and once it is reset
 * {@code Schedulers.parallel()} is Spindle again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VirtualTimeTest {

    @BeforeEach
    void installSpindle() {
        Schedulers.setFactory(SpindleScheduler.factory());
    }

    @AfterEach
    void restoreReactorsDefaults() {
        VirtualTimeScheduler.reset();
        Schedulers.resetFactory();
    }

    @Test
    void anHourOfVirtualTimePassesAtOnceAndSpindleIsBackAfterReset() {
        assertThat(parallelBehindTheCache()).as("Schedulers.parallel() before the scenario").isInstanceOf(SpindleScheduler.class);

        final Duration took = StepVerifier.withVirtualTime(() -> Mono.delay(Duration.ofHours(1)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(59))
                .thenAwait(Duration.ofHours(1))
                .expectNext(0L)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(took).as("real time an hour of virtual time took").isLessThan(Duration.ofSeconds(10));

        VirtualTimeScheduler.reset();
        final Scheduler after = parallelBehindTheCache();
        assertThat(after).as("Schedulers.parallel() after VirtualTimeScheduler.reset()").isInstanceOf(SpindleScheduler.class);
        assertThat(after.isDisposed()).as("that scheduler is live").isFalse();
        StepVerifier.create(Mono.delay(Duration.ofMillis(5)))
                .expectNext(0L)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void whileVirtualTimeIsSetParallelIsTheVirtualScheduler() {
        final VirtualTimeScheduler virtual = VirtualTimeScheduler.getOrSet();
        assertThat(parallelBehindTheCache()).as("Schedulers.parallel() while virtual time is set").isSameAs(virtual);
        VirtualTimeScheduler.reset();
        assertThat(parallelBehindTheCache()).as("Schedulers.parallel() after reset").isInstanceOf(SpindleScheduler.class);
    }

    /** The scheduler behind {@code Schedulers.parallel()}'s cache (the cache is a {@code Supplier}). */
    private static Scheduler parallelBehindTheCache() {
        final Scheduler parallel = Schedulers.parallel();
        return parallel instanceof Supplier<?> cache && cache.get() instanceof Scheduler cached ? cached : parallel;
    }
}
