package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.awaitCondition;
import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MICROSECONDS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link ScheduledExecutorService} contract, as every scheduler we ship must keep it, written
 * from the interface's Javadoc and checked against the JSR-166 TCK's {@code ScheduledExecutorTest}
 * as a list of what to cover. Where the interface leaves a choice open, the tests pin the choice
 * {@link java.util.concurrent.ScheduledThreadPoolExecutor} makes by default, because that is what
 * users of {@code Executors.newScheduledThreadPool} rely on and what issue #4 asks
 * {@link WorkStealingPool} to follow:
 * <ul>
 *   <li>a one-shot task runs once, never before its delay; delays &le; 0 run as soon as possible;
 *       delays up to {@code Long.MAX_VALUE} nanoseconds are accepted and stay pending;</li>
 *   <li>{@link ScheduledFuture#getDelay} reports the time left, {@link ScheduledFuture#compareTo}
 *       orders by deadline;</li>
 *   <li>fixed-rate runs never overlap and never run ahead of their schedule, and catch up after a
 *       long run; fixed-delay runs leave at least the delay between the end of one run and the
 *       start of the next; a periodic task that throws runs no more and its future holds the
 *       exception;</li>
 *   <li>after {@code shutdown()}, pending one-shot tasks still run and pending periodic ones are
 *       cancelled; {@code shutdownNow()} hands back one element per pending task.</li>
 * </ul>
 *
 * <h2>What a subclass provides</h2>
 * <ul>
 *   <li>{@link #newExecutor()}: a fresh, running executor with at least two threads, so that a
 *       broken implementation has the chance to run one periodic task on two threads at once.
 *       Each call must return a new instance; the contract shuts down every executor it asked
 *       for after each test, pass or fail.</li>
 *   <li>{@link #assertReturnedPendingTask}: what an element of {@code shutdownNow()}'s list is
 *       for this implementation. The interface only says "a list of the tasks that never
 *       commenced execution"; {@code ScheduledThreadPoolExecutor} returns its own internal
 *       futures, a pool may prefer to return the caller's tasks.</li>
 *   <li>Optionally {@link #cancelSucceedsOnlyBeforeTheTaskStarts()}, to hold the implementation
 *       to a stricter cancel than {@code FutureTask}'s.</li>
 * </ul>
 *
 * <h2>How the tests wait</h2>
 * Every wait is bounded ({@link PoolTestSupport#PROMPTLY} for what should take microseconds).
 * "Did not run" is never shown by sleeping: the test schedules a <em>marker</em> task on the same
 * executor, due after the task in question would have been due, and checks once the marker has
 * run: by then the executor has had its chance to run the task and did not. Timing assertions
 * are one-sided (never earlier than the delay) except where the issue asks for a bound the
 * other way, and those use margins an order of magnitude wider than the quantity measured.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ScheduledExecutorContract {

    /** The delay of one-shot timing tests: long enough to tell "after the delay" from "at once". */
    private static final long DELAY_MILLIS = 50;

    /** The period of periodic tests: short, so that a test sees many runs in well under a second. */
    private static final long PERIOD_MILLIS = 10;

    /** Far enough in the future that nothing scheduled this far ahead can run during a test. */
    private static final long FAR_FUTURE_HOURS = 1;

    /** Executors stop within milliseconds of shutdownNow(); this bounds one that never terminates. */
    private static final Duration TEARDOWN = Duration.ofSeconds(5);

    private final List<ScheduledExecutorService> executors = Collections.synchronizedList(new ArrayList<>());

    /**
     * A new, running executor with at least two threads. The contract owns it: it is shut down
     * (with {@code shutdownNow()}) after the test that asked for it.
     */
    protected abstract ScheduledExecutorService newExecutor();

    /**
     * Checks one element of {@code shutdownNow()}'s list for an executor that held exactly one
     * pending task, {@code original}, scheduled as {@code future} (one-shot, fixed-rate or
     * fixed-delay), and never run. Called after the executor terminated; the implementation
     * may run {@code returned} (on the calling thread) to show what running it does, and may use
     * {@link #timesRun(Runnable)} to see whether that ran {@code original}.
     */
    protected abstract void assertReturnedPendingTask(Runnable returned, Runnable original, ScheduledFuture<?> future);

    /**
     * Whether {@code cancel} returns {@code true} only for a task that has not started. The
     * {@link Future} contract is weaker: a {@code FutureTask} still counts as cancellable while
     * its body runs, so {@code cancel} can return {@code true} for a run already under way
     * (which then finishes, uninterrupted with {@code cancel(false)}). By default the race test
     * accepts "cancelled and ran" for a cancel that returned after the timer's deadline; an
     * implementation that decides "run" or "cancelled" once, atomically, returns {@code true}
     * here and gets the strict check: a successful cancel means the task never ran.
     */
    protected boolean cancelSucceedsOnlyBeforeTheTaskStarts() {
        return false;
    }

    /** How many times {@code original}, as handed to {@link #assertReturnedPendingTask}, has run. */
    protected static int timesRun(Runnable original) {
        return ((CountingTask) original).runs();
    }

    @AfterEach
    final void shutDownEveryExecutor() throws InterruptedException {
        final List<ScheduledExecutorService> toStop;
        synchronized (executors) {
            toStop = List.copyOf(executors);
            executors.clear();
        }
        toStop.forEach(ScheduledExecutorService::shutdownNow);
        final long deadline = System.nanoTime() + TEARDOWN.toNanos();
        final List<String> stuck = new ArrayList<>();
        for (ScheduledExecutorService executor : toStop) {
            if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), NANOSECONDS)) {
                stuck.add(executor.toString());
            }
        }
        if (!stuck.isEmpty()) {
            fail("executors still running %s after shutdownNow(): %s", TEARDOWN, stuck);
        }
    }

    // ---------------------------------------------------------------------------------------
    // One-shot tasks

    @Test
    void oneShotRunnableRunsOnceNoEarlierThanItsDelayAndItsFutureYieldsNull() throws Exception {
        final ScheduledExecutorService executor = executor();
        final CountingTask task = new CountingTask();
        final long scheduledAt = System.nanoTime();
        final ScheduledFuture<?> future = executor.schedule(task, DELAY_MILLIS, MILLISECONDS);

        assertThat(future.get(PROMPTLY.toNanos(), NANOSECONDS)).isNull();
        assertThat(task.firstStartNanos() - scheduledAt).as("nanoseconds from schedule to run")
                .isGreaterThanOrEqualTo(MILLISECONDS.toNanos(DELAY_MILLIS));
        assertThat(future.isDone()).isTrue();
        assertThat(future.isCancelled()).isFalse();

        awaitMarker(executor, 2 * DELAY_MILLIS, "a marker after the one-shot task");
        assertThat(task.runs()).as("runs of a one-shot task").isEqualTo(1);
    }

    @Test
    void oneShotCallableRunsOnceNoEarlierThanItsDelayAndItsFutureYieldsTheValue() throws Exception {
        final ScheduledExecutorService executor = executor();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicLong calledAt = new AtomicLong();
        final long scheduledAt = System.nanoTime();
        final ScheduledFuture<String> future = executor.schedule(() -> {
            calledAt.set(System.nanoTime());
            calls.incrementAndGet();
            return "value";
        }, DELAY_MILLIS, MILLISECONDS);

        assertThat(future.get(PROMPTLY.toNanos(), NANOSECONDS)).isEqualTo("value");
        assertThat(calledAt.get() - scheduledAt).as("nanoseconds from schedule to call")
                .isGreaterThanOrEqualTo(MILLISECONDS.toNanos(DELAY_MILLIS));
        assertThat(future.isDone()).isTrue();
        assertThat(future.isCancelled()).isFalse();

        awaitMarker(executor, 2 * DELAY_MILLIS, "a marker after the one-shot callable");
        assertThat(calls.get()).as("calls of a one-shot callable").isEqualTo(1);
    }

    @Test
    void zeroAndNegativeDelaysRunPromptly() throws Exception {
        final ScheduledExecutorService executor = executor();
        final List<ScheduledFuture<?>> futures = List.of(
                executor.schedule(() -> {}, 0, NANOSECONDS),
                executor.schedule(() -> {}, 0, DAYS),
                executor.schedule(() -> {}, -1, MILLISECONDS),
                executor.schedule(() -> "negative", -1, DAYS),
                executor.schedule(() -> {}, Long.MIN_VALUE, NANOSECONDS),
                executor.schedule(() -> {}, Long.MIN_VALUE, DAYS));
        for (ScheduledFuture<?> future : futures) {
            future.get(PROMPTLY.toNanos(), NANOSECONDS);
            assertThat(future.getDelay(NANOSECONDS)).as("delay left of a task that ran").isLessThanOrEqualTo(0);
        }
    }

    @Test
    void hugeDelaysAreAcceptedStayPendingAndCanBeCancelled() throws Exception {
        final ScheduledExecutorService executor = executor();
        final CountingTask task = new CountingTask();
        final ScheduledFuture<?> maxNanos = executor.schedule(task, Long.MAX_VALUE, NANOSECONDS);
        final ScheduledFuture<?> maxDays = executor.schedule(task, Long.MAX_VALUE, DAYS);
        final ScheduledFuture<?> thousandDays = executor.schedule(task, 1_000, DAYS);
        final ScheduledFuture<?> maxRate = executor.scheduleAtFixedRate(task, Long.MAX_VALUE, Long.MAX_VALUE, NANOSECONDS);

        // Far-off timers must not hold back near ones (JDK-8051859 was one that did).
        final CountDownLatch near = new CountDownLatch(1);
        executor.schedule(near::countDown, 1, MILLISECONDS);
        await(near, "a 1 ms task scheduled after tasks due in centuries");

        assertThat(thousandDays.getDelay(DAYS)).as("days left of a 1000-day delay").isBetween(999L, 1_000L);
        // The interface sets no upper bound: ScheduledThreadPoolExecutor keeps about 292 years,
        // Spindle cuts delays to about 146 (so that deadline arithmetic never overflows). Either
        // way such a task must read as pending for more than a century.
        for (ScheduledFuture<?> huge : List.of(maxNanos, maxDays, maxRate)) {
            assertThat(huge.getDelay(DAYS)).as("days left of a Long.MAX_VALUE delay").isGreaterThan(100L * 365);
        }
        for (ScheduledFuture<?> pending : List.of(maxNanos, maxDays, thousandDays, maxRate)) {
            assertThat(pending.isDone()).as("a pending task's future is done").isFalse();
            assertThat(pending.cancel(false)).as("cancel of a pending task").isTrue();
            assertThat(pending.isCancelled()).isTrue();
            assertThat(pending.isDone()).isTrue();
            assertThatThrownBy(pending::get).isInstanceOf(CancellationException.class);
        }
        assertThat(task.runs()).isZero();
    }

    /** A period so long that computing the next run overflows must not stop other tasks (JDK-8051859). */
    @Test
    void fixedDelayOfLongMaxValueRunsOnceAndDoesNotStarveLaterTasks() throws Exception {
        final ScheduledExecutorService executor = executor();
        final CountDownLatch periodicRan = new CountDownLatch(1);
        final CountDownLatch submittedRan = new CountDownLatch(1);
        final ScheduledFuture<?> future = executor.scheduleWithFixedDelay(() -> {
            periodicRan.countDown();
            executor.execute(submittedRan::countDown);
        }, 0, Long.MAX_VALUE, SECONDS);
        await(periodicRan, "the first run of a fixed-delay task with period Long.MAX_VALUE seconds");
        await(submittedRan, "a task submitted from that run");
        assertThat(future.isDone()).isFalse();
    }

    // ---------------------------------------------------------------------------------------
    // getDelay and compareTo

    @Test
    void getDelayIsAtMostTheRequestedDelayAndDecreasesInEveryUnit() throws Exception {
        final ScheduledExecutorService executor = executor();
        final long requestedSeconds = 10;
        final long before = System.nanoTime();
        final ScheduledFuture<?> future = executor.schedule(() -> {}, requestedSeconds, SECONDS);
        final long first = future.getDelay(NANOSECONDS);
        final long elapsedAtFirst = System.nanoTime() - before;

        assertThat(first).as("nanoseconds left")
                .isLessThanOrEqualTo(SECONDS.toNanos(requestedSeconds))
                .isGreaterThanOrEqualTo(SECONDS.toNanos(requestedSeconds) - elapsedAtFirst - MILLISECONDS.toNanos(1));
        assertThat(future.getDelay(MICROSECONDS)).isLessThanOrEqualTo(SECONDS.toMicros(requestedSeconds)).isPositive();
        assertThat(future.getDelay(MILLISECONDS)).isLessThanOrEqualTo(SECONDS.toMillis(requestedSeconds)).isPositive();
        assertThat(future.getDelay(SECONDS)).isBetween(0L, requestedSeconds);
        assertThat(future.getDelay(DAYS)).isZero();

        awaitMarker(executor, 2 * PERIOD_MILLIS, "a marker while the delay runs down");
        assertThat(future.getDelay(NANOSECONDS)).as("nanoseconds left after a marker " + 2 * PERIOD_MILLIS + " ms later")
                .isLessThanOrEqualTo(first - MILLISECONDS.toNanos(2 * PERIOD_MILLIS));
        assertThat(future.cancel(false)).isTrue();
    }

    /**
     * Two futures due at (nearly) the same instant must still compare antisymmetrically: an
     * implementation compares its own futures by their stored deadlines (and a tie-breaker),
     * not by two readings of the time left taken a moment apart.
     */
    @Test
    void compareToOrdersFuturesByDeadlineAndIsConsistent() {
        final ScheduledExecutorService executor = executor();
        final ScheduledFuture<?> inOneHour = executor.schedule(() -> {}, 1, HOURS);
        final ScheduledFuture<?> inTwoHours = executor.schedule(() -> "later", 2, HOURS);
        final ScheduledFuture<?> rateInThreeHours = executor.scheduleAtFixedRate(() -> {}, 3, 1, HOURS);
        final ScheduledFuture<?> delayInFourHours = executor.scheduleWithFixedDelay(() -> {}, 4, 1, HOURS);
        final ScheduledFuture<?> alsoInOneHour = executor.schedule(() -> {}, 1, HOURS);
        final List<ScheduledFuture<?>> byDeadline = List.of(inOneHour, inTwoHours, rateInThreeHours, delayInFourHours);

        for (int i = 0; i < byDeadline.size(); i++) {
            final ScheduledFuture<?> earlier = byDeadline.get(i);
            assertThat(earlier.compareTo(earlier)).as("a future compared with itself").isZero();
            for (int j = i + 1; j < byDeadline.size(); j++) {
                final ScheduledFuture<?> later = byDeadline.get(j);
                assertThat(earlier.compareTo(later)).as("future %d compared with later future %d", i, j).isNegative();
                assertThat(later.compareTo(earlier)).as("future %d compared with earlier future %d", j, i).isPositive();
            }
        }
        assertThat(Integer.signum(inOneHour.compareTo(alsoInOneHour)))
                .as("two futures due at (nearly) the same time compare antisymmetrically")
                .isEqualTo(-Integer.signum(alsoInOneHour.compareTo(inOneHour)));
        assertThat(alsoInOneHour.compareTo(inTwoHours)).isNegative();

        final List<ScheduledFuture<?>> shuffled = new ArrayList<>(byDeadline);
        Collections.shuffle(shuffled);
        shuffled.sort(null);
        assertThat(shuffled).as("futures sorted by compareTo").containsExactlyElementsOf(byDeadline);
        byDeadline.forEach(future -> future.cancel(false));
        alsoInOneHour.cancel(false);
    }

    /** {@link Delayed} is {@code Comparable<Delayed>}: a future must order against any Delayed, by time left. */
    @Test
    void compareToOrdersAgainstAnyDelayedByTheTimeLeft() {
        final ScheduledExecutorService executor = executor();
        final ScheduledFuture<?> inTwoHours = executor.schedule(() -> {}, 2, HOURS);
        assertThat(inTwoHours.compareTo(new FixedDelay(HOURS.toNanos(1)))).isPositive();
        assertThat(inTwoHours.compareTo(new FixedDelay(HOURS.toNanos(3)))).isNegative();
        inTwoHours.cancel(false);
    }

    // ---------------------------------------------------------------------------------------
    // Cancellation

    @Test
    void cancelBeforeRunMeansTheTaskNeverRuns() throws Exception {
        final ScheduledExecutorService executor = executor();
        final CountingTask task = new CountingTask();
        final ScheduledFuture<?> future = executor.schedule(task, DELAY_MILLIS, MILLISECONDS);

        assertThat(future.cancel(false)).as("cancel of a pending task").isTrue();
        assertThat(future.isCancelled()).isTrue();
        assertThat(future.isDone()).isTrue();
        assertThatThrownBy(future::get).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> future.get(1, NANOSECONDS)).isInstanceOf(CancellationException.class);
        assertThat(future.cancel(true)).as("a second cancel").isFalse();

        awaitMarker(executor, 2 * DELAY_MILLIS, "a marker due after the cancelled task");
        assertThat(task.runs()).as("runs of a task cancelled before its delay").isZero();
        assertThat(future.isCancelled()).isTrue();
    }

    @Test
    void cancelAfterRunReturnsFalseAndKeepsTheResult() throws Exception {
        final ScheduledExecutorService executor = executor();
        final ScheduledFuture<String> future = executor.schedule(() -> "done", 0, MILLISECONDS);
        assertThat(future.get(PROMPTLY.toNanos(), NANOSECONDS)).isEqualTo("done");

        assertThat(future.cancel(false)).as("cancel(false) of a completed task").isFalse();
        assertThat(future.cancel(true)).as("cancel(true) of a completed task").isFalse();
        assertThat(future.isCancelled()).isFalse();
        assertThat(future.isDone()).isTrue();
        assertThat(future.get()).isEqualTo("done");
    }

    // ---------------------------------------------------------------------------------------
    // Fixed rate

    @Test
    void fixedRateRunsRepeatedlyNoEarlierThanItsSchedule() throws Exception {
        final ScheduledExecutorService executor = executor();
        final int runs = 8;
        final long initialDelayMillis = 2 * PERIOD_MILLIS;
        final ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();
        final CountDownLatch ranEnough = new CountDownLatch(runs);
        final long scheduledAt = System.nanoTime();
        final ScheduledFuture<?> future = executor.scheduleAtFixedRate(() -> {
            starts.add(System.nanoTime());
            ranEnough.countDown();
        }, initialDelayMillis, PERIOD_MILLIS, MILLISECONDS);

        await(ranEnough, PROMPTLY, () -> runs + " runs of a fixed-rate task with period " + PERIOD_MILLIS + " ms");
        assertThat(future.isDone()).as("a running periodic task's future is done").isFalse();
        assertThat(future.isCancelled()).isFalse();
        assertThat(future.cancel(false)).isTrue();

        final List<Long> firstStarts = new ArrayList<>(starts).subList(0, runs);
        for (int k = 0; k < runs; k++) {
            assertThat(firstStarts.get(k) - scheduledAt).as("nanoseconds from schedule to run %d", k)
                    .isGreaterThanOrEqualTo(MILLISECONDS.toNanos(initialDelayMillis + k * PERIOD_MILLIS));
        }
    }

    /**
     * Every third run outlasts the period. The executor has a second thread free the whole time;
     * using it to start the next run while one is still running would break the contract.
     */
    @Test
    void fixedRateRunsNeverOverlapEvenWhenARunOutlastsThePeriod() throws Exception {
        final ScheduledExecutorService executor = executor();
        final int runs = 15;
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final CountDownLatch ranEnough = new CountDownLatch(runs);
        final ScheduledFuture<?> future = executor.scheduleAtFixedRate(() -> {
            if (running.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            if (started.getAndIncrement() % 3 == 0) {
                busyFor(3 * PERIOD_MILLIS);
            }
            running.decrementAndGet();
            ranEnough.countDown();
        }, 0, PERIOD_MILLIS, MILLISECONDS);

        await(ranEnough, PROMPTLY, () -> runs + " runs of a fixed-rate task, some longer than its period");
        future.cancel(false);
        assertThat(overlaps.get()).as("runs that started while another run was running").isZero();
    }

    /**
     * The first run takes as long as many periods. The runs that fell due meanwhile follow it
     * back to back, one at a time, and the k-th run still never starts before
     * {@code initialDelay + k * period}: catching up never runs ahead of the schedule.
     */
    @Test
    void fixedRateCatchesUpAfterALongRunOneRunAtATimeAndNeverAheadOfSchedule() throws Exception {
        final ScheduledExecutorService executor = executor();
        final long periodMillis = 20;
        final int missedPeriods = 20;
        final long longRunMillis = missedPeriods * periodMillis;
        final int runs = missedPeriods + 5;
        final long[] startNanos = new long[runs];
        final long[] endNanos = new long[runs];
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final CountDownLatch ranEnough = new CountDownLatch(runs);
        final long scheduledAt = System.nanoTime();
        final ScheduledFuture<?> future = executor.scheduleAtFixedRate(() -> {
            final int run = started.getAndIncrement();
            if (running.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            if (run < runs) {
                startNanos[run] = System.nanoTime();
                if (run == 0) {
                    busyFor(longRunMillis);
                }
                endNanos[run] = System.nanoTime();
            }
            running.decrementAndGet();
            ranEnough.countDown();
        }, 0, periodMillis, MILLISECONDS);

        await(ranEnough, PROMPTLY, () -> runs + " runs of a fixed-rate task whose first run takes " + missedPeriods + " periods");
        future.cancel(false);
        assertThat(overlaps.get()).as("runs that started while another run was running").isZero();
        for (int k = 0; k < runs; k++) {
            assertThat(startNanos[k] - scheduledAt).as("nanoseconds from schedule to run %d", k)
                    .isGreaterThanOrEqualTo(MILLISECONDS.toNanos(k * periodMillis));
        }
        // Without catch-up (fixed-delay behaviour) the missed runs would take another
        // longRunMillis; with it they take next to nothing. Half of that is the margin.
        assertThat(startNanos[missedPeriods - 1] - endNanos[0])
                .as("nanoseconds from the end of the long run to the last run that fell due during it")
                .isLessThan(MILLISECONDS.toNanos(longRunMillis / 2));
    }

    @Test
    void cancelStopsAFixedRateTaskAndItsFutureReportsCancelled() throws Exception {
        final ScheduledExecutorService executor = executor();
        final CountingTask task = new CountingTask();
        final CountDownLatch ranThrice = new CountDownLatch(3);
        final ScheduledFuture<?> future = executor.scheduleAtFixedRate(() -> {
            task.run();
            ranThrice.countDown();
        }, 0, PERIOD_MILLIS, MILLISECONDS);
        await(ranThrice, "three runs of a fixed-rate task");
        assertThat(future.isDone()).isFalse();

        assertThat(future.cancel(false)).as("cancel of a running periodic task").isTrue();
        assertThat(future.isCancelled()).isTrue();
        assertThat(future.isDone()).isTrue();
        assertThatThrownBy(() -> future.get(PROMPTLY.toNanos(), NANOSECONDS)).isInstanceOf(CancellationException.class);

        assertNoMoreRuns(executor, task, 5 * PERIOD_MILLIS);
    }

    // ---------------------------------------------------------------------------------------
    // Fixed delay

    @Test
    void fixedDelayLeavesAtLeastTheDelayBetweenTheEndOfOneRunAndTheStartOfTheNext() throws Exception {
        final ScheduledExecutorService executor = executor();
        final int runs = 8;
        final long initialDelayMillis = 2 * PERIOD_MILLIS;
        final long[] startNanos = new long[runs];
        final long[] endNanos = new long[runs];
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final CountDownLatch ranEnough = new CountDownLatch(runs);
        final long scheduledAt = System.nanoTime();
        final ScheduledFuture<?> future = executor.scheduleWithFixedDelay(() -> {
            final int run = started.getAndIncrement();
            if (running.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            if (run < runs) {
                startNanos[run] = System.nanoTime();
                busyFor(run % 3);
                endNanos[run] = System.nanoTime();
            }
            running.decrementAndGet();
            ranEnough.countDown();
        }, initialDelayMillis, PERIOD_MILLIS, MILLISECONDS);

        await(ranEnough, PROMPTLY, () -> runs + " runs of a fixed-delay task");
        assertThat(future.isDone()).isFalse();
        assertThat(future.cancel(false)).isTrue();
        assertThat(overlaps.get()).as("runs that started while another run was running").isZero();
        assertThat(startNanos[0] - scheduledAt).as("nanoseconds from schedule to the first run")
                .isGreaterThanOrEqualTo(MILLISECONDS.toNanos(initialDelayMillis));
        for (int k = 1; k < runs; k++) {
            assertThat(startNanos[k] - endNanos[k - 1]).as("nanoseconds from the end of run %d to the start of run %d", k - 1, k)
                    .isGreaterThanOrEqualTo(MILLISECONDS.toNanos(PERIOD_MILLIS));
        }
    }

    @Test
    void cancelStopsAFixedDelayTask() throws Exception {
        final ScheduledExecutorService executor = executor();
        final CountingTask task = new CountingTask();
        final CountDownLatch ranThrice = new CountDownLatch(3);
        final ScheduledFuture<?> future = executor.scheduleWithFixedDelay(() -> {
            task.run();
            ranThrice.countDown();
        }, 0, PERIOD_MILLIS, MILLISECONDS);
        await(ranThrice, "three runs of a fixed-delay task");

        assertThat(future.cancel(false)).isTrue();
        assertThat(future.isCancelled()).isTrue();
        assertNoMoreRuns(executor, task, 5 * PERIOD_MILLIS);
    }

    // ---------------------------------------------------------------------------------------
    // Failures

    /**
     * "If any execution of the task encounters an exception, subsequent executions are
     * suppressed": the future completes with the exception (so it is done but not cancelled:
     * {@code get()} throws {@code ExecutionException}, not {@code CancellationException}).
     */
    @ParameterizedTest
    @EnumSource(Periodic.class)
    void periodicTaskThatThrowsRunsNoMoreAndItsFutureHoldsTheException(Periodic kind) throws Exception {
        final ScheduledExecutorService executor = executor();
        final IllegalStateException failure = new IllegalStateException("third run fails");
        final CountingTask task = new CountingTask();
        final ScheduledFuture<?> future = kind.schedule(executor, () -> {
            task.run();
            if (task.runs() == 3) {
                throw failure;
            }
        }, 0, PERIOD_MILLIS, MILLISECONDS);

        assertThatThrownBy(() -> future.get(PROMPTLY.toNanos(), NANOSECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isSameAs(failure);
        assertThat(future.isDone()).isTrue();
        assertThat(future.isCancelled()).isFalse();
        assertThat(future.cancel(false)).as("cancel of a periodic task that failed").isFalse();
        assertNoMoreRuns(executor, task, 5 * PERIOD_MILLIS);
        assertThat(task.runs()).isEqualTo(3);
    }

    @Test
    void throwingOneShotTasksCompleteTheirFuturesExceptionallyAndTheExecutorCarriesOn() throws Exception {
        final ScheduledExecutorService executor = executor();
        final IllegalStateException runnableFailure = new IllegalStateException("runnable fails");
        final Exception callableFailure = new Exception("callable fails");
        final ScheduledFuture<?> failedRunnable = executor.schedule((Runnable) () -> {
            throw runnableFailure;
        }, 1, MILLISECONDS);
        final ScheduledFuture<?> failedCallable = executor.schedule(() -> {
            throw callableFailure;
        }, 0, MILLISECONDS);
        final Future<?> failedSubmit = executor.submit(() -> {
            throw callableFailure;
        });

        assertThatThrownBy(() -> failedRunnable.get(PROMPTLY.toNanos(), NANOSECONDS))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(runnableFailure);
        assertThatThrownBy(() -> failedCallable.get(PROMPTLY.toNanos(), NANOSECONDS))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(callableFailure);
        assertThatThrownBy(() -> failedSubmit.get(PROMPTLY.toNanos(), NANOSECONDS))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(callableFailure);
        for (Future<?> failed : List.of(failedRunnable, failedCallable, failedSubmit)) {
            assertThat(failed.isDone()).isTrue();
            assertThat(failed.isCancelled()).isFalse();
        }
        assertThat(executor.schedule(() -> "after failures", 1, MILLISECONDS).get(PROMPTLY.toNanos(), NANOSECONDS))
                .isEqualTo("after failures");
    }

    // ---------------------------------------------------------------------------------------
    // Arguments

    @Test
    void nullTaskOrUnitIsRejectedWithNullPointerException() {
        final ScheduledExecutorService executor = executor();
        final Runnable task = () -> {};
        assertThatThrownBy(() -> executor.schedule((Runnable) null, 1, MILLISECONDS)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.schedule((Callable<?>) null, 1, MILLISECONDS)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.scheduleAtFixedRate(null, 1, 1, MILLISECONDS)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.scheduleWithFixedDelay(null, 1, 1, MILLISECONDS)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.schedule(task, 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.schedule(() -> "value", 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.scheduleAtFixedRate(task, 1, 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.scheduleWithFixedDelay(task, 1, 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.execute(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.submit((Runnable) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> executor.submit((Callable<?>) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void nonPositivePeriodOrDelayIsRejectedWithIllegalArgumentException() {
        final ScheduledExecutorService executor = executor();
        final CountingTask task = new CountingTask();
        for (long nonPositive : new long[] {0, -1, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> executor.scheduleAtFixedRate(task, 1, nonPositive, MILLISECONDS))
                    .as("scheduleAtFixedRate with period %d", nonPositive)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> executor.scheduleWithFixedDelay(task, 1, nonPositive, MILLISECONDS))
                    .as("scheduleWithFixedDelay with delay %d", nonPositive)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(task.runs()).isZero();
    }

    // ---------------------------------------------------------------------------------------
    // shutdown() and shutdownNow()

    @Test
    void afterShutdownEverySchedulingMethodIsRejected() throws Exception {
        final ScheduledExecutorService executor = executor();
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertEverySubmissionIsRejected(executor);
        assertThat(executor.awaitTermination(PROMPTLY.toNanos(), NANOSECONDS)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
        assertEverySubmissionIsRejected(executor);
    }

    /**
     * The pending one-shot task runs at its time, not before and not never, and the executor
     * terminates only after it: the task sees an executor that is shut down but not terminated.
     */
    @Test
    void shutdownLetsAPendingOneShotTaskRunAtItsTimeAndThenTerminates() throws Exception {
        final ScheduledExecutorService executor = executor();
        final AtomicLong ranAt = new AtomicLong();
        final AtomicBoolean terminatedWhenRun = new AtomicBoolean(true);
        final AtomicBoolean shutdownWhenRun = new AtomicBoolean(false);
        final long scheduledAt = System.nanoTime();
        final ScheduledFuture<String> future = executor.schedule(() -> {
            ranAt.set(System.nanoTime());
            shutdownWhenRun.set(executor.isShutdown());
            terminatedWhenRun.set(executor.isTerminated());
            return "ran after shutdown";
        }, DELAY_MILLIS, MILLISECONDS);

        executor.shutdown();
        assertThat(executor.awaitTermination(PROMPTLY.toNanos(), NANOSECONDS)).as("terminated").isTrue();
        assertThat(future.isDone()).isTrue();
        assertThat(future.get()).isEqualTo("ran after shutdown");
        assertThat(ranAt.get() - scheduledAt).as("nanoseconds from schedule to run")
                .isGreaterThanOrEqualTo(MILLISECONDS.toNanos(DELAY_MILLIS));
        assertThat(shutdownWhenRun.get()).as("shut down when the task ran").isTrue();
        assertThat(terminatedWhenRun.get()).as("terminated when the task ran").isFalse();
    }

    /**
     * Pending periodic tasks, whether they have not run yet or are between runs, are cancelled
     * by {@code shutdown()}: the executor terminates without waiting for their next run.
     */
    @Test
    void shutdownCancelsPendingPeriodicTasksAndTerminates() throws Exception {
        final ScheduledExecutorService executor = executor();
        final CountDownLatch bothRunning = new CountDownLatch(4);
        final CountingTask runningRate = new CountingTask();
        final CountingTask runningDelay = new CountingTask();
        final CountingTask notYetRate = new CountingTask();
        final CountingTask notYetDelay = new CountingTask();
        final List<ScheduledFuture<?>> futures = List.of(
                executor.scheduleAtFixedRate(() -> {
                    runningRate.run();
                    bothRunning.countDown();
                }, 0, PERIOD_MILLIS, MILLISECONDS),
                executor.scheduleWithFixedDelay(() -> {
                    runningDelay.run();
                    bothRunning.countDown();
                }, 0, PERIOD_MILLIS, MILLISECONDS),
                executor.scheduleAtFixedRate(notYetRate, FAR_FUTURE_HOURS, 1, HOURS),
                executor.scheduleWithFixedDelay(notYetDelay, FAR_FUTURE_HOURS, 1, HOURS));
        await(bothRunning, "two runs each of two periodic tasks");

        executor.shutdown();
        assertThat(executor.awaitTermination(PROMPTLY.toNanos(), NANOSECONDS)).as("terminated").isTrue();
        for (ScheduledFuture<?> future : futures) {
            assertThat(future.isCancelled()).as("a periodic task's future after shutdown").isTrue();
            assertThat(future.isDone()).isTrue();
        }
        assertThat(notYetRate.runs() + notYetDelay.runs()).isZero();
    }

    /**
     * One element per pending task comes back, for one-shot and periodic tasks alike; none of
     * the tasks runs, then or later; and every future can still be completed by cancelling it,
     * so that nobody waiting on one waits forever.
     */
    @Test
    void shutdownNowReturnsOneElementPerPendingDelayedTaskAndNoneOfThemRuns() throws Exception {
        final ScheduledExecutorService executor = executor();
        final long delayMillis = 300;
        final CountingTask task = new CountingTask();
        final CountDownLatch called = new CountDownLatch(1);
        final long scheduledAt = System.nanoTime();
        final List<ScheduledFuture<?>> futures = List.of(
                executor.schedule(task, delayMillis, MILLISECONDS),
                executor.schedule(task, delayMillis, MILLISECONDS),
                executor.schedule(() -> {
                    called.countDown();
                    return "never";
                }, delayMillis, MILLISECONDS),
                executor.scheduleAtFixedRate(task, delayMillis, PERIOD_MILLIS, MILLISECONDS),
                executor.scheduleWithFixedDelay(task, delayMillis, PERIOD_MILLIS, MILLISECONDS));

        final List<Runnable> pending = executor.shutdownNow();
        assertThat(executor.isShutdown()).isTrue();
        assertThat(pending).as("what shutdownNow() returned").hasSize(futures.size()).doesNotContainNull();
        assertThat(executor.awaitTermination(PROMPTLY.toNanos(), NANOSECONDS)).as("terminated").isTrue();

        // The executor cannot run a marker any more: wait out the tasks' deadline on this thread.
        final long pastDeadline = MILLISECONDS.toNanos(delayMillis + 100) - (System.nanoTime() - scheduledAt);
        assertThat(called.await(Math.max(0, pastDeadline), NANOSECONDS)).as("the callable ran after shutdownNow()").isFalse();
        assertThat(task.runs()).as("runs of tasks handed back by shutdownNow()").isZero();

        for (ScheduledFuture<?> future : futures) {
            future.cancel(false);
            assertThat(future.isDone()).as("a pending task's future, cancelled after shutdownNow()").isTrue();
        }
    }

    /** What exactly comes back from {@code shutdownNow()} is the implementation's choice: see the hook. */
    @ParameterizedTest
    @EnumSource(Pending.class)
    void shutdownNowHandsBackAPendingTaskInTheImplementationsOwnForm(Pending kind) throws Exception {
        final ScheduledExecutorService executor = executor();
        final CountingTask original = new CountingTask();
        final ScheduledFuture<?> future = kind.schedule(executor, original);

        final List<Runnable> pending = executor.shutdownNow();
        assertThat(pending).hasSize(1);
        assertThat(executor.awaitTermination(PROMPTLY.toNanos(), NANOSECONDS)).as("terminated").isTrue();
        assertReturnedPendingTask(pending.get(0), original, future);
    }

    // ---------------------------------------------------------------------------------------
    // What AbstractExecutorService provides

    @Test
    void executeAndSubmitRunTasksAndTheirFuturesYieldTheResult() throws Exception {
        final ScheduledExecutorService executor = executor();
        final CountDownLatch executed = new CountDownLatch(1);
        executor.execute(executed::countDown);
        await(executed, "a task passed to execute()");
        final CountingTask task = new CountingTask();
        assertThat(executor.submit(task).get(PROMPTLY.toNanos(), NANOSECONDS)).isNull();
        assertThat(executor.submit(task, "given result").get(PROMPTLY.toNanos(), NANOSECONDS)).isEqualTo("given result");
        assertThat(executor.submit(() -> "called").get(PROMPTLY.toNanos(), NANOSECONDS)).isEqualTo("called");
        assertThat(task.runs()).isEqualTo(2);
    }

    @Test
    void invokeAllCompletesEveryTaskAndReportsEachResultOrFailure() throws Exception {
        final ScheduledExecutorService executor = executor();
        final ArithmeticException failure = new ArithmeticException("fails");
        final List<Callable<String>> tasks = List.of(() -> "a", () -> {
            throw failure;
        }, () -> "c");

        final List<Future<String>> futures = executor.invokeAll(tasks);
        assertThat(futures).hasSize(3).allMatch(Future::isDone);
        assertThat(futures.get(0).get()).isEqualTo("a");
        assertThatThrownBy(() -> futures.get(1).get()).isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
        assertThat(futures.get(2).get()).isEqualTo("c");

        final List<Future<String>> timed = executor.invokeAll(tasks, PROMPTLY.toNanos(), NANOSECONDS);
        assertThat(timed).hasSize(3).allMatch(Future::isDone).noneMatch(Future::isCancelled);
        assertThat(executor.invokeAll(List.<Callable<String>>of())).isEmpty();
    }

    @Test
    void invokeAnyReturnsTheResultOfATaskThatSucceededOrTheFailureIfNoneDid() throws Exception {
        final ScheduledExecutorService executor = executor();
        final ArithmeticException failure = new ArithmeticException("fails");
        final Callable<String> failing = () -> {
            throw failure;
        };
        final Callable<String> succeeding = () -> "ok";
        assertThat(executor.invokeAny(List.of(failing, succeeding, failing))).isEqualTo("ok");
        assertThat(executor.invokeAny(List.of(succeeding, succeeding), PROMPTLY.toNanos(), NANOSECONDS)).isEqualTo("ok");
        assertThatThrownBy(() -> executor.invokeAny(List.of(failing)))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
        assertThatThrownBy(() -> executor.invokeAny(List.<Callable<String>>of())).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------
    // Many timers, and cancel racing expiry

    /** Each timer records whether it ran before its deadline or ran twice; a latch counts first runs. */
    @Test
    void tenThousandTimersWithRandomDelaysEachFireExactlyOnceAndNotEarly() throws Exception {
        final ScheduledExecutorService executor = executor();
        final int timers = 10_000;
        final long maxDelayMillis = 50;
        final CountDownLatch fired = new CountDownLatch(timers);
        final AtomicInteger doubleFires = new AtomicInteger();
        final AtomicInteger earlyFires = new AtomicInteger();
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < timers; i++) {
            final long delayNanos = random.nextLong(MILLISECONDS.toNanos(maxDelayMillis) + 1);
            final AtomicBoolean ran = new AtomicBoolean();
            final long scheduledAt = System.nanoTime();
            executor.schedule(() -> {
                if (System.nanoTime() - scheduledAt < delayNanos) {
                    earlyFires.incrementAndGet();
                }
                if (ran.getAndSet(true)) {
                    doubleFires.incrementAndGet();
                } else {
                    fired.countDown();
                }
            }, delayNanos, NANOSECONDS);
        }
        await(fired, Duration.ofSeconds(2 * PROMPTLY.toSeconds()), () -> timers + " timers of 0-" + maxDelayMillis + " ms");
        awaitMarker(executor, 2 * maxDelayMillis, "a marker after every timer's deadline");
        assertThat(doubleFires.get()).as("timers that fired twice").isZero();
        assertThat(earlyFires.get()).as("timers that fired before their delay").isZero();
    }

    /**
     * Four threads schedule timers due within a millisecond and cancel each one at once or after
     * a short spin, so that cancels land before, during and after expiry. Every timer either ran
     * once and could not be cancelled, or was cancelled and never ran: never both, never neither.
     *
     * <p>With the default (FutureTask) cancel, a cancel that lands once a thread has committed to
     * the run returns {@code true} and the run still happens. A correct executor never commits
     * to a timer before its deadline, so the test accepts "cancelled and ran" only for a cancel
     * that returned after the timer's deadline; a cancelled timer that ran although its cancel
     * returned before the deadline is a violation either way.
     */
    @Test
    void cancelRacingExpiryEitherCancelsATimerOrLetsItRunExactlyOnce() throws Exception {
        final ScheduledExecutorService executor = executor();
        final int threads = 4;
        final int timersPerThread = 5_000;
        final int timers = threads * timersPerThread;
        final long maxDelayNanos = MILLISECONDS.toNanos(1);
        final long maxSpinNanos = MICROSECONDS.toNanos(200);
        final AtomicIntegerArray runs = new AtomicIntegerArray(timers);
        final boolean[] cancelled = new boolean[timers];
        final long[] earliestDeadlineNanos = new long[timers];
        final long[] cancelReturnedNanos = new long[timers];
        final List<ScheduledFuture<?>> futures = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(timers, null)));
        final AtomicReference<Throwable> schedulerFailure = new AtomicReference<>();
        final CountDownLatch start = new CountDownLatch(1);
        final CountDownLatch scheduled = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            final int first = t * timersPerThread;
            final Thread scheduler = new Thread(() -> {
                try {
                    start.await();
                    final ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = first; i < first + timersPerThread; i++) {
                        final int timer = i;
                        final long delayNanos = random.nextLong(maxDelayNanos + 1);
                        earliestDeadlineNanos[timer] = System.nanoTime() + delayNanos;
                        final ScheduledFuture<?> future = executor.schedule(() -> {
                            runs.incrementAndGet(timer);
                        }, delayNanos, NANOSECONDS);
                        futures.set(timer, future);
                        if (random.nextBoolean()) {
                            spinFor(random.nextLong(maxSpinNanos));
                        }
                        cancelled[timer] = future.cancel(false);
                        cancelReturnedNanos[timer] = System.nanoTime();
                    }
                } catch (Throwable e) {
                    schedulerFailure.compareAndSet(null, e);
                } finally {
                    scheduled.countDown();
                }
            }, "scheduler-" + t);
            scheduler.start();
        }
        start.countDown();
        await(scheduled, Duration.ofSeconds(2 * PROMPTLY.toSeconds()), () -> threads + " threads scheduling and cancelling");
        assertThat(schedulerFailure.get()).as("what a scheduling thread threw").isNull();

        // Never neither: every timer that cancel could not stop has run (or is running).
        int notCancelled = 0;
        for (boolean c : cancelled) {
            if (!c) {
                notCancelled++;
            }
        }
        final int mustRun = notCancelled;
        awaitCondition(() -> ranAmong(runs, cancelled, false) >= mustRun, PROMPTLY,
                () -> mustRun + " runs of timers that cancel() did not stop, saw " + ranAmong(runs, cancelled, false));
        // Never both: once a marker due after every deadline has run, no cancelled timer ran.
        awaitMarker(executor, 10 * NANOSECONDS.toMillis(maxDelayNanos) + PERIOD_MILLIS, "a marker after every timer's deadline");

        final boolean strict = cancelSucceedsOnlyBeforeTheTaskStarts();
        final List<String> violations = new ArrayList<>();
        int cancelledAfterDeadlineAndRan = 0;
        for (int i = 0; i < timers; i++) {
            final int ran = runs.get(i);
            final ScheduledFuture<?> future = futures.get(i);
            if (ran > 1) {
                violations.add("timer " + i + " ran " + ran + " times");
            } else if (!cancelled[i] && ran != 1) {
                violations.add("timer " + i + " could not be cancelled but never ran");
            } else if (cancelled[i] && ran == 1) {
                final boolean cancelReturnedBeforeDeadline = cancelReturnedNanos[i] - earliestDeadlineNanos[i] < 0;
                if (strict || cancelReturnedBeforeDeadline) {
                    violations.add("timer " + i + " was cancelled and ran; cancel returned "
                            + (cancelReturnedNanos[i] - earliestDeadlineNanos[i]) + " ns after its deadline");
                }
                cancelledAfterDeadlineAndRan++;
            }
            if (future.isCancelled() != cancelled[i] || !future.isDone()) {
                violations.add("timer " + i + ": cancel returned " + cancelled[i] + " but isCancelled()=" + future.isCancelled()
                        + ", isDone()=" + future.isDone());
            }
        }
        assertThat(violations).as("timers that broke exactly-once (%d of %d cancelled, %d of those ran anyway)",
                timers - mustRun, timers, cancelledAfterDeadlineAndRan).isEmpty();
    }

    // ---------------------------------------------------------------------------------------
    // Helpers

    /** The executor under test: a new one from {@link #newExecutor()}, shut down after the test. */
    private ScheduledExecutorService executor() {
        final ScheduledExecutorService executor = newExecutor();
        executors.add(executor);
        return executor;
    }

    /** Schedules a marker {@code delayMillis} from now on {@code executor} and waits, bounded, until it has run. */
    private static void awaitMarker(ScheduledExecutorService executor, long delayMillis, String what) throws InterruptedException {
        final CountDownLatch marker = new CountDownLatch(1);
        executor.schedule(marker::countDown, delayMillis, MILLISECONDS);
        await(marker, Duration.ofMillis(delayMillis).plus(PROMPTLY), () -> what);
    }

    /**
     * After a periodic task was stopped: once a marker a few periods later has run, the count is
     * taken; once a second marker as far again has run, it must not have moved. The first marker
     * lets a run that was under way when the task was stopped finish without being counted
     * against the task.
     */
    private static void assertNoMoreRuns(ScheduledExecutorService executor, CountingTask task, long periodsMillis)
            throws InterruptedException {
        awaitMarker(executor, periodsMillis, "a marker after the periodic task was stopped");
        final int runsAfterStop = task.runs();
        awaitMarker(executor, periodsMillis, "a second marker, " + periodsMillis + " ms later");
        assertThat(task.runs()).as("runs of a stopped periodic task, " + periodsMillis + " ms after it had " + runsAfterStop)
                .isEqualTo(runsAfterStop);
    }

    private static void assertEverySubmissionIsRejected(ScheduledExecutorService executor) {
        final Runnable task = () -> {};
        assertThatThrownBy(() -> executor.schedule(task, 1, MILLISECONDS)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.schedule(() -> "value", 1, MILLISECONDS)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.scheduleAtFixedRate(task, 1, 1, MILLISECONDS)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.scheduleWithFixedDelay(task, 1, 1, MILLISECONDS)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.schedule(task, 0, MILLISECONDS)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.execute(task)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.submit(task)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> executor.submit(() -> "value")).isInstanceOf(RejectedExecutionException.class);
    }

    private static int ranAmong(AtomicIntegerArray runs, boolean[] cancelled, boolean whichCancelled) {
        int ran = 0;
        for (int i = 0; i < cancelled.length; i++) {
            if (cancelled[i] == whichCancelled && runs.get(i) > 0) {
                ran++;
            }
        }
        return ran;
    }

    /** Keeps the calling thread busy (not sleeping, so not interruptible) for {@code millis}. */
    private static void busyFor(long millis) {
        spinFor(MILLISECONDS.toNanos(millis));
    }

    private static void spinFor(long nanos) {
        final long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    /** A task that counts its runs and remembers when the first one started. */
    private static final class CountingTask implements Runnable {
        private final AtomicInteger runs = new AtomicInteger();
        private final AtomicLong firstStartNanos = new AtomicLong();

        @Override
        public void run() {
            final long now = System.nanoTime();
            if (runs.getAndIncrement() == 0) {
                firstStartNanos.set(now);
            }
        }

        int runs() {
            return runs.get();
        }

        long firstStartNanos() {
            return firstStartNanos.get();
        }
    }

    /** A {@link Delayed} that is not a future of any executor, with a fixed time left. */
    private record FixedDelay(long nanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(nanos, NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(nanos, other.getDelay(NANOSECONDS));
        }
    }

    /** The two ways to schedule a periodic task. */
    enum Periodic {
        FIXED_RATE {
            @Override
            ScheduledFuture<?> schedule(ScheduledExecutorService executor, Runnable task, long initialDelay, long period, TimeUnit unit) {
                return executor.scheduleAtFixedRate(task, initialDelay, period, unit);
            }
        },
        FIXED_DELAY {
            @Override
            ScheduledFuture<?> schedule(ScheduledExecutorService executor, Runnable task, long initialDelay, long delay, TimeUnit unit) {
                return executor.scheduleWithFixedDelay(task, initialDelay, delay, unit);
            }
        };

        abstract ScheduledFuture<?> schedule(ScheduledExecutorService executor, Runnable task, long initialDelay, long period, TimeUnit unit);
    }

    /** The kinds of pending task {@code shutdownNow()} can hand back, each due far in the future. */
    enum Pending {
        ONE_SHOT {
            @Override
            ScheduledFuture<?> schedule(ScheduledExecutorService executor, Runnable task) {
                return executor.schedule(task, FAR_FUTURE_HOURS, HOURS);
            }
        },
        FIXED_RATE {
            @Override
            ScheduledFuture<?> schedule(ScheduledExecutorService executor, Runnable task) {
                return executor.scheduleAtFixedRate(task, FAR_FUTURE_HOURS, 1, HOURS);
            }
        },
        FIXED_DELAY {
            @Override
            ScheduledFuture<?> schedule(ScheduledExecutorService executor, Runnable task) {
                return executor.scheduleWithFixedDelay(task, FAR_FUTURE_HOURS, 1, HOURS);
            }
        };

        abstract ScheduledFuture<?> schedule(ScheduledExecutorService executor, Runnable task);
    }
}
