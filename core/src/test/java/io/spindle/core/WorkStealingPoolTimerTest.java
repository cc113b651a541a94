package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.awaitAllParked;
import static io.spindle.core.PoolTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The timer as issue #4 specifies it, beyond the plain {@code ScheduledExecutorService}
 * contract (which the {@code ScheduledExecutorContract} suite checks): accuracy on an idle
 * pool, a million pending timers, schedule/cancel racing expiry, an idle pool that does not
 * tick, and what shutdown does to timers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkStealingPoolTimerTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    @Test
    void timersOnAnIdlePoolFireNoEarlierThanTheirDeadlineAndAtP99WithinFiveMillisecondsAfter() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("accuracy").workers(2));
        awaitAllParked(pool);
        final int timers = 200;
        final SplittableRandom random = new SplittableRandom(4);
        final long[] deadlines = new long[timers];
        final AtomicLongArray fired = new AtomicLongArray(timers);
        final CountDownLatch done = new CountDownLatch(timers);
        for (int i = 0; i < timers; i++) {
            final int index = i;
            final long delayMillis = 10 + random.nextInt(91);
            deadlines[i] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
            pool.schedule(() -> {
                fired.set(index, System.nanoTime());
                done.countDown();
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
        await(done, "200 timers of 10-100 ms");
        final long[] lateMicros = new long[timers];
        for (int i = 0; i < timers; i++) {
            assertThat(fired.get(i)).as("timer %d fired before its deadline", i).isGreaterThanOrEqualTo(deadlines[i]);
            lateMicros[i] = (fired.get(i) - deadlines[i]) / 1_000;
        }
        Arrays.sort(lateMicros);
        final long p99 = lateMicros[(int) Math.ceil(timers * 0.99) - 1];
        System.out.printf("timer lateness over %d timers of 10-100 ms, µs: min %d, p50 %d, p90 %d, p99 %d, max %d%n",
                timers, lateMicros[0], lateMicros[timers / 2], lateMicros[timers * 9 / 10], p99, lateMicros[timers - 1]);
        assertThat(p99).as("p99 lateness in µs").isLessThanOrEqualTo(5_000);
    }

    @Test
    void anIdlePoolDoesNotTickAndOnePendingTimerWakesTheDriverOnceAtItsDeadline() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("quiet").workers(2));
        final Thread driver = pool.timers.driver();
        assertThat(driver.getName()).isEqualTo("quiet-timer");
        assertThat(driver.isDaemon()).isTrue();
        awaitCondition(() -> driver.getState() == Thread.State.WAITING, PROMPTLY, () -> "the driver to park with no timeout, is " + driver.getState());

        final CountDownLatch fired = new CountDownLatch(1);
        pool.schedule(fired::countDown, 200, TimeUnit.MILLISECONDS);
        awaitCondition(() -> driver.getState() == Thread.State.TIMED_WAITING, PROMPTLY, () -> "the driver to sleep until the deadline, is " + driver.getState());
        await(fired, "the pending timer");
        awaitCondition(() -> driver.getState() == Thread.State.WAITING, PROMPTLY, () -> "the driver to park with no timeout again, is " + driver.getState());
        awaitAllParked(pool);
        assertThat(pool.metrics().pendingTimers()).isZero();
    }

    @Test
    void aMillionPendingTimersAreCheapToScheduleSmallAndFreedAtOnceWhenCancelled() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("million").workers(2));
        final int timers = 1_000_000;
        final Runnable task = () -> {
            throw new AssertionError("a cancelled timer ran");
        };
        final List<ScheduledFuture<?>> futures = new ArrayList<>(timers);
        final long baseline = usedHeapAfterGc();

        final long start = System.nanoTime();
        for (int i = 0; i < timers; i++) {
            futures.add(pool.schedule(task, 1_000 + (i % 600_000), TimeUnit.SECONDS));
        }
        final long scheduleNanos = System.nanoTime() - start;
        assertThat(pool.metrics().pendingTimers()).isEqualTo(timers);
        final long withTimers = usedHeapAfterGc();
        final double bytesPerTimer = (double) (withTimers - baseline) / timers;

        for (ScheduledFuture<?> future : futures) {
            assertThat(future.cancel(false)).isTrue();
        }
        assertThat(pool.metrics().pendingTimers()).isZero();
        final long afterCancel = usedHeapAfterGc();
        System.out.printf("1,000,000 timers: scheduled in %d ms, %.1f bytes per pending timer (the task itself shared), heap %d MB before, %d MB pending, %d MB after cancelling all%n",
                scheduleNanos / 1_000_000, bytesPerTimer, baseline >> 20, withTimers >> 20, afterCancel >> 20);

        assertThat(Duration.ofNanos(scheduleNanos)).as("time to schedule a million timers").isLessThan(Duration.ofSeconds(2));
        assertThat(bytesPerTimer).as("bytes per pending timer beyond the task").isLessThanOrEqualTo(64.0);
        // The futures are still referenced (the list); what must be gone is everything the wheel
        // held for them. A cancelled future is the same 56 bytes it was while pending, so
        // "freed" shows up as: nothing beyond the futures themselves, within a few MB of noise.
        futures.clear();
        final long afterRelease = usedHeapAfterGc();
        assertThat(afterRelease - baseline).as("heap beyond the baseline once the futures are dropped, bytes").isLessThan(8L << 20);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void everyTimerEitherFiresOnceOrIsCancelledWhenCancelRacesExpiryFromManyThreads() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("race").workers(2));
        final int threads = 4;
        final int perThread = 20_000;
        final int total = threads * perThread;
        final AtomicIntegerArray runs = new AtomicIntegerArray(total);
        final boolean[] cancelled = new boolean[total];
        final AtomicInteger expectedRuns = new AtomicInteger();
        final CountDownLatch allRan = new CountDownLatch(1);
        final AtomicInteger ran = new AtomicInteger();
        final CyclicBarrier start = new CyclicBarrier(threads);
        final CountDownLatch scheduled = new CountDownLatch(threads);
        final AtomicInteger failures = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            final int first = t * perThread;
            final Thread thread = new Thread(() -> {
                try {
                    final SplittableRandom random = new SplittableRandom(first);
                    start.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
                    for (int i = first; i < first + perThread; i++) {
                        final int index = i;
                        final ScheduledFuture<?> future = pool.schedule(() -> {
                            runs.incrementAndGet(index);
                            ran.incrementAndGet();
                        }, random.nextInt(3_000), TimeUnit.MICROSECONDS);
                        if (random.nextInt(8) != 0) {
                            // Spin a random while so that some cancels land before, some during
                            // and some after the expiry.
                            final long until = System.nanoTime() + random.nextInt(2_000_000);
                            while (random.nextBoolean() && System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                            cancelled[index] = future.cancel(false);
                        }
                        if (!cancelled[index]) {
                            expectedRuns.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
                scheduled.countDown();
            });
            thread.start();
        }
        await(scheduled, Duration.ofSeconds(60), () -> "the scheduling threads");
        assertThat(failures.get()).isZero();
        awaitCondition(() -> ran.get() >= expectedRuns.get(), PROMPTLY, () -> ran.get() + " of " + expectedRuns.get() + " uncancelled timers ran");
        // A marker scheduled after the latest deadline: once it ran, no cancelled timer can run
        // any more, so "never both" can be checked.
        final CountDownLatch marker = new CountDownLatch(1);
        pool.schedule(marker::countDown, 10, TimeUnit.MILLISECONDS);
        await(marker, "the marker timer");
        allRan.countDown();
        int cancelledCount = 0;
        for (int i = 0; i < total; i++) {
            if (cancelled[i]) {
                cancelledCount++;
                assertThat(runs.get(i)).as("timer %d was cancelled and ran", i).isZero();
            } else {
                assertThat(runs.get(i)).as("timer %d was not cancelled and ran that many times", i).isEqualTo(1);
            }
        }
        System.out.printf("cancel racing expiry: %d timers, %d cancelled in time, %d fired%n", total, cancelledCount, total - cancelledCount);
        assertThat(cancelledCount).as("some cancels won").isPositive();
        assertThat(total - cancelledCount).as("some expiries won").isPositive();
        assertThat(pool.metrics().pendingTimers()).isZero();
    }

    @Test
    void subMillisecondDelaysRoundUpAndNeverRunEarly() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("round").workers(2));
        final int timers = 100;
        final CountDownLatch done = new CountDownLatch(timers);
        final AtomicInteger early = new AtomicInteger();
        for (int i = 0; i < timers; i++) {
            final long delayNanos = 1 + i * 7_919L;
            final long deadline = System.nanoTime() + delayNanos;
            pool.schedule(() -> {
                if (System.nanoTime() < deadline) {
                    early.incrementAndGet();
                }
                done.countDown();
            }, delayNanos, TimeUnit.NANOSECONDS);
        }
        await(done, "sub-millisecond timers");
        assertThat(early.get()).isZero();
    }

    @Test
    void delaysOfZeroOrLessRunAsSoonAsPossibleWithoutTheWheel() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("now").workers(2));
        final CountDownLatch done = new CountDownLatch(2);
        final ScheduledFuture<?> zero = pool.schedule(done::countDown, 0, TimeUnit.SECONDS);
        final ScheduledFuture<?> negative = pool.schedule(done::countDown, -5, TimeUnit.DAYS);
        assertThat(pool.metrics().pendingTimers()).isZero();
        await(done, "tasks scheduled with delays 0 and -5 days");
        assertThat(zero.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isNull();
        assertThat(negative.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isNull();
    }

    @Test
    void delaysBeyondTheWheelsSpanArePendingAndCancellable() {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("far").workers(2));
        final ScheduledFuture<?> twoYears = pool.schedule(() -> {}, 800, TimeUnit.DAYS);
        final ScheduledFuture<?> forever = pool.schedule(() -> {}, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        final ScheduledFuture<?> beyondNanos = pool.schedule(() -> {}, Long.MAX_VALUE, TimeUnit.DAYS);
        assertThat(pool.metrics().pendingTimers()).isEqualTo(3);
        assertThat(twoYears.getDelay(TimeUnit.DAYS)).isBetween(799L, 800L);
        assertThat(beyondNanos.getDelay(TimeUnit.DAYS)).as("cut to about 146 years").isBetween(100L * 365, 150L * 365);
        assertThat(twoYears.compareTo(forever)).isNegative();
        assertThat(forever.compareTo(twoYears)).isPositive();
        assertThat(twoYears.cancel(false)).isTrue();
        assertThat(forever.cancel(false)).isTrue();
        assertThat(beyondNanos.cancel(true)).isTrue();
        assertThat(pool.metrics().pendingTimers()).isZero();
    }

    @Test
    void afterShutdownPendingOneShotTimersStillFireAndThePoolTerminatesAfterTheLast() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("drain").workers(2));
        final CountDownLatch fired = new CountDownLatch(1);
        final ScheduledFuture<?> oneShot = pool.schedule(fired::countDown, 300, TimeUnit.MILLISECONDS);
        final ScheduledFuture<?> periodic = pool.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
        pool.shutdown();
        assertThat(periodic.isCancelled()).as("periodic task cancelled by shutdown").isTrue();
        assertThatThrownBy(() -> pool.schedule(() -> {}, 1, TimeUnit.SECONDS))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("drain");
        assertThat(pool.isTerminated()).isFalse();
        assertThat(oneShot.isDone()).isFalse();
        await(fired, "the one-shot timer after shutdown");
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(oneShot.isDone()).isTrue();
        assertThat(pool.timers.driver().isAlive()).as("timer thread after termination").isFalse();
    }

    @Test
    void shutdownNowHandsBackTheFuturesOfPendingTimersAndTerminatesAtOnce() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("stop").workers(2));
        final AtomicInteger ran = new AtomicInteger();
        final ScheduledFuture<?> first = pool.schedule(ran::incrementAndGet, 1, TimeUnit.HOURS);
        final ScheduledFuture<?> second = pool.scheduleWithFixedDelay(ran::incrementAndGet, 1, 1, TimeUnit.HOURS);
        final List<Runnable> pending = pool.shutdownNow();
        assertThat(pending).containsExactlyInAnyOrder((Runnable) first, (Runnable) second);
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(pool.metrics().pendingTimers()).isZero();
        assertThat(first.isDone()).as("handed back, not cancelled").isFalse();
        // Running a handed-back one-shot timer runs its task and completes its future.
        ((Runnable) first).run();
        assertThat(ran.get()).isEqualTo(1);
        assertThat(first.isDone()).isTrue();
    }

    @Test
    void aPeriodicTaskRescheduledFromAWorkerKeepsItsRateAndStopsWhenCancelled() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("rate").workers(2));
        final int runs = 20;
        final CountDownLatch twenty = new CountDownLatch(runs);
        final long start = System.nanoTime();
        final ScheduledFuture<?> periodic = pool.scheduleAtFixedRate(twenty::countDown, 0, 5, TimeUnit.MILLISECONDS);
        await(twenty, "20 runs at a 5 ms rate");
        final long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(periodic.cancel(false)).isTrue();
        // 20 runs at a fixed 5 ms rate start 95 ms apart at the least: never a burst ahead of time.
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(95);
        assertThat(pool.metrics().pendingTimers()).isZero();
    }
}
