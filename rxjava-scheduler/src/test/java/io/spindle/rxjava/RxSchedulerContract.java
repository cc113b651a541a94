package io.spindle.rxjava;

import static io.spindle.rxjava.RxTestSupport.PROMPTLY;
import static io.spindle.rxjava.RxTestSupport.await;
import static io.spindle.rxjava.RxTestSupport.awaitCondition;
import static io.spindle.rxjava.RxTestSupport.isOrWraps;
import static io.spindle.rxjava.RxTestSupport.spinFor;
import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MICROSECONDS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.schedulers.SchedulerRunnableIntrospection;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The RxJava 3 {@link Scheduler} contract as RxJava's operators and users rely on it, in our own
 * words (issue #6, {@code reference/rxjava.md} §1–§3), run against every Spindle scheduler and
 * against {@code Schedulers.computation()} and {@code Schedulers.from(ForkJoinPool)} so that each
 * test is shown to pass on a real peer.
 *
 * <p>RxJava's own {@code AbstractSchedulerTests} pass even for a scheduler whose Workers hand
 * every task straight to a multi-threaded pool; the Worker tests here check the serial guarantee
 * directly: non-delayed tasks run in submission order, no two tasks of one Worker ever overlap
 * (also when delayed tasks re-enter the Worker), under four producers and through
 * {@code delay(0)} and {@code observeOn}.
 *
 * <h2>What a subclass provides</h2>
 * <ul>
 *   <li>{@link #scheduler()}: a running scheduler with at least two threads, called once before
 *       each test; {@link #release(Scheduler)} undoes whatever {@code scheduler()} set up.</li>
 *   <li>{@link #isSpindle()}: whether this is a Spindle scheduler. Tests named
 *       {@code spindleOnly...} check a choice Spindle makes where RxJava's peers legitimately
 *       differ (DESIGN.md "Contract decisions"); they are skipped for peers.</li>
 *   <li>{@link #threadsAreNonBlocking()}: whether the scheduler's threads carry RxJava's
 *       {@code NonBlockingThread} marker.</li>
 * </ul>
 *
 * <h2>How the tests wait</h2>
 * Every wait is bounded ({@link RxTestSupport#PROMPTLY}). "Did not run" is never shown by
 * sleeping: the test schedules a <em>marker</em> task on another Worker, due after the task in
 * question would have been due, and checks once the marker has run. Timing assertions are
 * one-sided (never earlier than asked). Plugin hooks a test installs are removed after it, pass
 * or fail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class RxSchedulerContract {

    /** The delay of timing tests: long enough to tell "after the delay" from "at once". */
    private static final long DELAY_MILLIS = 30;

    /** The period of periodic tests: short, so that a test sees several runs in well under a second. */
    private static final long PERIOD_MILLIS = 15;

    /**
     * {@link Scheduler#now} is {@code System.currentTimeMillis()} by default, and RxJava's own
     * periodic task computes its ticks with it, so a tick measured with {@code System.nanoTime()}
     * may come up to a millisecond (plus the two clocks' disagreement) before the exact multiple.
     */
    private static final long CLOCK_GRANULARITY_NANOS = MILLISECONDS.toNanos(2);

    private static final int PRODUCERS = 4;
    private static final int TASKS_PER_PRODUCER = 50_000;

    /**
     * How long each stress task keeps its thread: a microsecond, so that a Worker that lets two
     * tasks run at once is caught in the act (with empty tasks, a non-serial Worker over a
     * two-thread ForkJoinPool passed), while 200,000 of them still take a fraction of a second.
     */
    private static final long STRESS_TASK_NANOS = MICROSECONDS.toNanos(1);

    private Scheduler scheduler;
    private final List<Scheduler.Worker> workers = Collections.synchronizedList(new ArrayList<>());
    private final List<Disposable> disposables = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Throwable> reportedErrors = new ConcurrentLinkedQueue<>();

    /** A running scheduler with at least two threads; called once before each test. */
    protected abstract Scheduler scheduler();

    /** Undoes what {@link #scheduler()} set up (shuts down a pool the subclass owns, uninstalls a hook). */
    protected void release(Scheduler scheduler) throws Exception {}

    /** Whether the scheduler under test is Spindle's; {@code spindleOnly...} tests are skipped otherwise. */
    protected boolean isSpindle() {
        return false;
    }

    /** Whether the scheduler's threads are RxJava {@code NonBlockingThread}s. */
    protected boolean threadsAreNonBlocking() {
        return true;
    }

    /** Whether {@code onSchedule} sees a user's task once, however it was scheduled. */
    protected boolean callsOnScheduleOncePerTask() {
        return true;
    }

    /** Whether a Worker goes on to its next task after one of its tasks threw. */
    protected boolean workerSurvivesTaskErrors() {
        return true;
    }

    @BeforeEach
    final void setUpScheduler() {
        RxJavaPlugins.setErrorHandler(reportedErrors::add);
        scheduler = scheduler();
    }

    @AfterEach
    final void tearDown() throws Exception {
        try {
            disposables.forEach(Disposable::dispose);
            workers.forEach(Disposable::dispose);
            release(scheduler);
        } finally {
            RxJavaPlugins.setScheduleHandler(null);
            RxJavaPlugins.setErrorHandler(null);
            RxJavaPlugins.setFailOnNonBlockingScheduler(false);
        }
    }

    // ---------------------------------------------------------------------------------------
    // The serial Worker

    @Test
    void workerRunsNonDelayedTasksInSubmissionOrder() throws Exception {
        final Scheduler.Worker worker = worker();
        final int tasks = 10_000;
        final ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            final int index = i;
            worker.schedule(() -> {
                order.add(index);
                done.countDown();
            });
        }
        await(done, tasks + " tasks on one worker");
        assertThat(List.copyOf(order)).as("order in which one worker ran its tasks").isSorted().hasSize(tasks);
    }

    @Test
    void workerTasksNeverOverlap() throws Exception {
        final Scheduler.Worker worker = worker();
        final OverlapDetector detector = new OverlapDetector();
        final int tasksPerThread = 2_000;
        final CountDownLatch done = new CountDownLatch(2 * tasksPerThread);
        final CyclicBarrier start = new CyclicBarrier(2);
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            producers.add(startThread(() -> {
                awaitBarrier(start);
                for (int i = 0; i < tasksPerThread; i++) {
                    worker.schedule(detector.task(MICROSECONDS.toNanos(20), done::countDown));
                }
            }));
        }
        await(done, "tasks from two producers on one worker");
        joinAll(producers);
        assertThat(detector.overlaps()).as("tasks of one worker that ran while another was running").isZero();
    }

    @Test
    void workerTasksNeverOverlapWhenDelayedTasksComeDue() throws Exception {
        final Scheduler.Worker worker = worker();
        final OverlapDetector detector = new OverlapDetector();
        final int tasks = 1_000;
        final CountDownLatch done = new CountDownLatch(2 * tasks);
        for (int i = 0; i < tasks; i++) {
            // Delays of 0-4 ms make timers expire while non-delayed tasks of the same worker run.
            worker.schedule(detector.task(MICROSECONDS.toNanos(10), done::countDown), i % 5, MILLISECONDS);
            worker.schedule(detector.task(MICROSECONDS.toNanos(10), done::countDown));
        }
        await(done, "delayed and non-delayed tasks on one worker");
        assertThat(detector.overlaps()).as("tasks of one worker that ran while another was running").isZero();
    }

    @Test
    void nonPositiveDelaysMeanNowAndKeepSubmissionOrder() throws Exception {
        final Scheduler.Worker worker = worker();
        final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(5);
        worker.schedule(() -> record(order, "zero", done), 0, MILLISECONDS);
        worker.schedule(() -> record(order, "minus one day", done), -1, DAYS);
        worker.schedule(() -> record(order, "plain", done));
        worker.schedule(() -> record(order, "minus one ms", done), -1, MILLISECONDS);
        worker.schedule(() -> record(order, "zero days", done), 0, DAYS);
        await(done, "tasks with delays <= 0");
        assertThat(order).containsExactly("zero", "minus one day", "plain", "minus one ms", "zero days");

        final CountDownLatch direct = new CountDownLatch(2);
        track(scheduler.scheduleDirect(direct::countDown, 0, NANOSECONDS));
        track(scheduler.scheduleDirect(direct::countDown, -5, HOURS));
        await(direct, "direct tasks with delays <= 0");
    }

    @Test
    void disposedWorkerReturnsDisposedForEveryScheduleAndNeverRunsTheTask() throws Exception {
        final Scheduler.Worker worker = worker();
        worker.dispose();
        assertThat(worker.isDisposed()).isTrue();
        final AtomicInteger runs = new AtomicInteger();
        final List<Disposable> returned = List.of(
                worker.schedule(runs::incrementAndGet),
                worker.schedule(runs::incrementAndGet, 0, MILLISECONDS),
                worker.schedule(runs::incrementAndGet, 1, MILLISECONDS),
                worker.schedulePeriodically(runs::incrementAndGet, 0, 1, MILLISECONDS),
                worker.schedulePeriodically(runs::incrementAndGet, 1, 1, MILLISECONDS));
        for (Disposable disposable : returned) {
            assertThat(disposable.isDisposed()).as("what schedule* returned after dispose(): %s", disposable).isTrue();
        }
        awaitMarker(3 * DELAY_MILLIS, "a marker on another worker");
        assertThat(runs.get()).as("runs of tasks scheduled on a disposed worker").isZero();
    }

    @Test
    void disposingAWorkerCancelsItsPendingTasksAndNoOtherWorkersTasks() throws Exception {
        final Scheduler.Worker worker = worker();
        final Scheduler.Worker bystander = worker();
        final CountDownLatch blockerStarted = new CountDownLatch(1);
        final CountDownLatch releaseBlocker = new CountDownLatch(1);
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch bystanderRan = new CountDownLatch(2);
        // The blocker holds its thread until the test releases it, even if dispose() interrupts
        // it: computation() interrupts the running task first and cancels the queued ones after,
        // so a blocker that gave up on the interrupt would let its loop run queued tasks before
        // dispose() reached them (a race of that peer's dispose, not what this test is about).
        worker.schedule(() -> {
            blockerStarted.countDown();
            awaitIgnoringInterrupts(releaseBlocker);
        });
        await(blockerStarted, "the worker's first task");
        for (int i = 0; i < 10; i++) {
            worker.schedule(runs::incrementAndGet);
        }
        worker.schedule(runs::incrementAndGet, DELAY_MILLIS, MILLISECONDS);
        worker.schedulePeriodically(runs::incrementAndGet, DELAY_MILLIS, 1, MILLISECONDS);
        bystander.schedule(bystanderRan::countDown, DELAY_MILLIS, MILLISECONDS);
        bystander.schedule(bystanderRan::countDown);
        worker.dispose();
        releaseBlocker.countDown();

        await(bystanderRan, "another worker's tasks after dispose()");
        awaitMarker(3 * DELAY_MILLIS, "a marker on a third worker");
        assertThat(runs.get()).as("runs of tasks pending on a worker when it was disposed").isZero();
    }

    // ---------------------------------------------------------------------------------------
    // RxJavaPlugins.onSchedule and null

    /**
     * Skipped for {@code Schedulers.from(executor)}: when a delayed Worker task comes due, its
     * timer sends it back through {@code Worker.schedule(Runnable)}, which applies
     * {@code onSchedule} to it a second time, on the timer thread.
     */
    @Test
    void onScheduleSeesEveryTaskOnceOnTheSubmittingThread() throws Exception {
        assumeTrue(callsOnScheduleOncePerTask(), "this scheduler re-applies onSchedule to delayed worker tasks");
        final ConcurrentLinkedQueue<Runnable> seen = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> seenOnOtherThreads = new ConcurrentLinkedQueue<>();
        final Thread submitter = Thread.currentThread();
        RxJavaPlugins.setScheduleHandler(run -> {
            seen.add(run);
            if (Thread.currentThread() != submitter) {
                seenOnOtherThreads.add(run + " on " + Thread.currentThread().getName());
            }
            return run;
        });
        final Scheduler.Worker worker = worker();
        final List<Runnable> tasks = new ArrayList<>();
        final CountDownLatch ran = new CountDownLatch(4);
        final CountDownLatch periodicWorkerTicks = new CountDownLatch(3);
        final CountDownLatch periodicDirectTicks = new CountDownLatch(3);

        final Runnable plain = named("worker task", ran::countDown);
        final Runnable delayed = named("delayed worker task", ran::countDown);
        final Runnable periodic = named("periodic worker task", periodicWorkerTicks::countDown);
        final Runnable direct = named("direct task", ran::countDown);
        final Runnable delayedDirect = named("delayed direct task", ran::countDown);
        final Runnable periodicDirect = named("periodic direct task", periodicDirectTicks::countDown);
        tasks.addAll(List.of(plain, delayed, periodic, direct, delayedDirect, periodicDirect));

        worker.schedule(plain);
        worker.schedule(delayed, 1, MILLISECONDS);
        track(worker.schedulePeriodically(periodic, 1, 1, MILLISECONDS));
        track(scheduler.scheduleDirect(direct));
        track(scheduler.scheduleDirect(delayedDirect, 1, MILLISECONDS));
        track(scheduler.schedulePeriodicallyDirect(periodicDirect, 1, 1, MILLISECONDS));
        await(ran, "the one-shot tasks");
        await(periodicWorkerTicks, "three ticks of the periodic worker task");
        await(periodicDirectTicks, "three ticks of the periodic direct task");

        for (Runnable task : tasks) {
            assertThat(seen.stream().filter(run -> run == task).count())
                    .as("onSchedule calls with the %s", task).isEqualTo(1);
        }
        assertThat(seenOnOtherThreads.stream().filter(call -> tasks.stream().anyMatch(task -> call.startsWith(task + " on "))))
                .as("onSchedule calls with a user's task made on a thread other than the submitter").isEmpty();
    }

    /**
     * Spindle-only. DESIGN.md: every task passes through {@code onSchedule} exactly once and
     * internal housekeeping does not. RxJava's peers call the hook again for their own wrappers:
     * the default {@code Worker.schedulePeriodically} re-enters {@code schedule()} with its
     * {@code PeriodicTask} on every tick, and {@code Schedulers.from(executor)} sends a delayed
     * task back through {@code schedule()} (and its timer through {@code single()}) when it
     * comes due.
     */
    @Test
    void spindleOnlyOnScheduleIsCalledOncePerTaskAndNeverForHousekeeping() throws Exception {
        assumeSpindle();
        final AtomicInteger calls = new AtomicInteger();
        final ConcurrentLinkedQueue<String> otherThreads = new ConcurrentLinkedQueue<>();
        final Thread submitter = Thread.currentThread();
        RxJavaPlugins.setScheduleHandler(run -> {
            calls.incrementAndGet();
            if (Thread.currentThread() != submitter) {
                otherThreads.add(run + " on " + Thread.currentThread().getName());
            }
            return run;
        });
        final Scheduler.Worker worker = worker();
        final CountDownLatch oneShots = new CountDownLatch(4);
        final CountDownLatch ticks = new CountDownLatch(10);
        worker.schedule(oneShots::countDown);
        worker.schedule(oneShots::countDown, 1, MILLISECONDS);
        track(worker.schedulePeriodically(ticks::countDown, 1, 1, MILLISECONDS));
        track(scheduler.scheduleDirect(oneShots::countDown));
        track(scheduler.scheduleDirect(oneShots::countDown, 1, MILLISECONDS));
        track(scheduler.schedulePeriodicallyDirect(ticks::countDown, 1, 1, MILLISECONDS));
        await(oneShots, "the one-shot tasks");
        await(ticks, "ten ticks of two periodic tasks");
        assertThat(calls.get()).as("onSchedule calls for six scheduled tasks").isEqualTo(6);
        assertThat(otherThreads).as("onSchedule calls off the submitting thread").isEmpty();
    }

    @Test
    void nullRunnableIsRejectedWithRunIsNull() {
        final Scheduler.Worker worker = worker();
        assertThatNullPointerException().isThrownBy(() -> worker.schedule(null)).withMessage("run is null");
        assertThatNullPointerException().isThrownBy(() -> worker.schedule(null, 1, MILLISECONDS)).withMessage("run is null");
        assertThatNullPointerException().isThrownBy(() -> worker.schedulePeriodically(null, 1, 1, MILLISECONDS))
                .withMessage("run is null");
        assertThatNullPointerException().isThrownBy(() -> scheduler.scheduleDirect(null)).withMessage("run is null");
        assertThatNullPointerException().isThrownBy(() -> scheduler.scheduleDirect(null, 1, MILLISECONDS))
                .withMessage("run is null");
        assertThatNullPointerException().isThrownBy(() -> scheduler.schedulePeriodicallyDirect(null, 1, 1, MILLISECONDS))
                .withMessage("run is null");
    }

    // ---------------------------------------------------------------------------------------
    // Direct tasks

    @Test
    void delayedAndPeriodicDirectDisposablesUnwrapToTheOriginalRunnable() {
        final Runnable delayed = () -> {};
        final Runnable periodic = () -> {};
        final Disposable delayedHandle = track(scheduler.scheduleDirect(delayed, 1, HOURS));
        final Disposable periodicHandle = track(scheduler.schedulePeriodicallyDirect(periodic, 1, 1, HOURS));
        assertThat(delayedHandle).isInstanceOf(SchedulerRunnableIntrospection.class);
        assertThat(((SchedulerRunnableIntrospection) delayedHandle).getWrappedRunnable()).isSameAs(delayed);
        assertThat(periodicHandle).isInstanceOf(SchedulerRunnableIntrospection.class);
        assertThat(((SchedulerRunnableIntrospection) periodicHandle).getWrappedRunnable()).isSameAs(periodic);
    }

    @Test
    void directTaskReportsDisposedOnceItHasFinished() throws Exception {
        final Disposable pending = track(scheduler.scheduleDirect(() -> {}, 1, HOURS));
        assertThat(pending.isDisposed()).as("isDisposed() of a direct task due in an hour").isFalse();

        final CountDownLatch ran = new CountDownLatch(2);
        final Disposable now = scheduler.scheduleDirect(ran::countDown);
        final Disposable soon = scheduler.scheduleDirect(ran::countDown, 1, MILLISECONDS);
        await(ran, "two direct tasks");
        // The task counts down before it returns, so its handle turns disposed a moment later.
        awaitCondition(() -> now.isDisposed() && soon.isDisposed(), PROMPTLY,
                () -> "isDisposed() of finished direct tasks: now=" + now.isDisposed() + ", delayed=" + soon.isDisposed());
    }

    @Test
    void disposedDirectTasksNeverRun() throws Exception {
        final AtomicInteger runs = new AtomicInteger();
        final Disposable delayed = scheduler.scheduleDirect(runs::incrementAndGet, DELAY_MILLIS, MILLISECONDS);
        final Disposable periodic = scheduler.schedulePeriodicallyDirect(runs::incrementAndGet, DELAY_MILLIS, 1, MILLISECONDS);
        delayed.dispose();
        periodic.dispose();
        assertThat(delayed.isDisposed()).isTrue();
        assertThat(periodic.isDisposed()).isTrue();
        awaitMarker(3 * DELAY_MILLIS, "a marker after the disposed tasks' due time");
        assertThat(runs.get()).as("runs of disposed direct tasks").isZero();
    }

    // ---------------------------------------------------------------------------------------
    // Periodic tasks

    @Test
    void workerPeriodicTaskRunsAtAFixedRate() throws Exception {
        final Scheduler.Worker worker = worker();
        assertFixedRate((task, initialDelay) -> track(worker.schedulePeriodically(task, initialDelay, PERIOD_MILLIS, MILLISECONDS)));
    }

    @Test
    void directPeriodicTaskRunsAtAFixedRate() throws Exception {
        assertFixedRate((task, initialDelay) -> track(scheduler.schedulePeriodicallyDirect(task, initialDelay, PERIOD_MILLIS, MILLISECONDS)));
    }

    @Test
    void workerPeriodicTaskThatThrowsStopsAndReportsTheError() throws Exception {
        final Scheduler.Worker worker = worker();
        assertStopsOnError(task -> track(worker.schedulePeriodically(task, 1, 1, MILLISECONDS)));
    }

    @Test
    void directPeriodicTaskThatThrowsStopsAndReportsTheError() throws Exception {
        assertStopsOnError(task -> track(scheduler.schedulePeriodicallyDirect(task, 1, 1, MILLISECONDS)));
    }

    // ---------------------------------------------------------------------------------------
    // Errors and blocking

    /**
     * Skipped for {@code Schedulers.from(executor)}: its Worker reports the error and rethrows it
     * out of its drain loop, which leaves the drain marked as running, so the Worker never runs
     * another task (shown by this test timing out on the next task).
     */
    @Test
    void workerTaskErrorReachesOnErrorAndTheWorkerAndThreadCarryOn() throws Exception {
        assumeTrue(workerSurvivesTaskErrors(), "this scheduler's Worker stops draining after a task throws");
        final Scheduler.Worker worker = worker();
        final RuntimeException boom = new RuntimeException("boom from a worker task");
        final AtomicReference<Thread> thrower = new AtomicReference<>();
        final AtomicBoolean throwerAliveAfterwards = new AtomicBoolean();
        final CountDownLatch next = new CountDownLatch(1);
        final CountDownLatch bothQueued = new CountDownLatch(1);
        // Queue both from inside a task of the worker, so that the second is waiting behind the
        // first when it throws: the worker must go on to it.
        worker.schedule(() -> {
            worker.schedule(() -> {
                thrower.set(Thread.currentThread());
                throw boom;
            });
            worker.schedule(() -> {
                throwerAliveAfterwards.set(thrower.get() != null && thrower.get().isAlive());
                next.countDown();
            });
            bothQueued.countDown();
        });
        await(bothQueued, "the task that queues the throwing task and the next one");
        await(next, "the task after a throwing task on the same worker");
        assertThat(throwerAliveAfterwards).as("thread that ran the throwing task is alive").isTrue();
        awaitCondition(() -> reportedErrors.stream().anyMatch(e -> isOrWraps(e, boom)), PROMPTLY,
                () -> "the task's exception at RxJavaPlugins.onError; reported so far: " + reportedErrors);
    }

    @Test
    void directTaskErrorReachesOnErrorAndLaterTasksRun() throws Exception {
        final RuntimeException boom = new RuntimeException("boom from a direct task");
        scheduler.scheduleDirect(() -> {
            throw boom;
        });
        awaitCondition(() -> reportedErrors.stream().anyMatch(e -> isOrWraps(e, boom)), PROMPTLY,
                () -> "the task's exception at RxJavaPlugins.onError; reported so far: " + reportedErrors);
        final CountDownLatch later = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            scheduler.scheduleDirect(later::countDown);
        }
        await(later, "direct tasks after a throwing one");
    }

    /**
     * Skipped for {@code Schedulers.from(ForkJoinPool)}: its threads are the pool's own
     * {@code ForkJoinWorkerThread}s, not RxJava {@code NonBlockingThread}s, so blocking there is
     * allowed by design.
     */
    @Test
    void blockingOnASchedulerThreadFailsWhenNonBlockingIsEnforced() throws Exception {
        assumeTrue(threadsAreNonBlocking(), "this scheduler's threads are not NonBlockingThreads");
        RxJavaPlugins.setFailOnNonBlockingScheduler(true);
        final AtomicReference<Throwable> onWorker = new AtomicReference<>();
        final AtomicReference<Throwable> onDirect = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(2);
        worker().schedule(() -> blockAndRecord(onWorker, done));
        track(scheduler.scheduleDirect(() -> blockAndRecord(onDirect, done)));
        await(done, "blockingFirst() on a worker task and on a direct task");
        assertThat(onWorker.get()).as("what blockingFirst() threw on a worker task").isInstanceOf(IllegalStateException.class);
        assertThat(onDirect.get()).as("what blockingFirst() threw on a direct task").isInstanceOf(IllegalStateException.class);
    }

    // ---------------------------------------------------------------------------------------
    // Serial guarantee under stress

    @Test
    void fourProducersOnOneWorkerSeeNoOverlapAndNoReordering() throws Exception {
        final Scheduler.Worker worker = worker();
        final OverlapDetector detector = new OverlapDetector();
        final AtomicLong orderBreaks = new AtomicLong();
        final int[] lastSeen = new int[PRODUCERS]; // touched only by the worker's (serial) tasks
        final CountDownLatch done = new CountDownLatch(PRODUCERS * TASKS_PER_PRODUCER);
        final CyclicBarrier start = new CyclicBarrier(PRODUCERS);
        Arrays.fill(lastSeen, -1);
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            final int producer = p;
            producers.add(startThread(() -> {
                awaitBarrier(start);
                for (int i = 0; i < TASKS_PER_PRODUCER; i++) {
                    final int sequence = i;
                    worker.schedule(detector.task(STRESS_TASK_NANOS, () -> {
                        if (lastSeen[producer] != sequence - 1) {
                            orderBreaks.incrementAndGet();
                        }
                        lastSeen[producer] = sequence;
                        done.countDown();
                    }));
                }
            }));
        }
        await(done, PROMPTLY.multipliedBy(3), () -> PRODUCERS + " x " + TASKS_PER_PRODUCER + " tasks on one worker");
        joinAll(producers);
        assertThat(detector.overlaps()).as("overlapping runs on one worker").isZero();
        assertThat(orderBreaks.get()).as("tasks that ran out of their producer's order").isZero();
    }

    @Test
    void delayZeroKeepsTheOrderOfAHundredThousandItems() {
        final int items = 100_000;
        final AtomicInteger outOfOrder = new AtomicInteger();
        final AtomicInteger expected = new AtomicInteger(1);
        final TestSubscriber<Integer> subscriber = Flowable.range(1, items)
                .delay(0, MILLISECONDS, scheduler)
                .doOnNext(item -> {
                    if (item != expected.getAndIncrement()) {
                        outOfOrder.incrementAndGet();
                    }
                })
                .test();
        subscriber.awaitDone(PROMPTLY.toMillis() * 3, MILLISECONDS).assertNoErrors().assertComplete();
        assertThat(expected.get() - 1).as("items delivered").isEqualTo(items);
        assertThat(outOfOrder.get()).as("items delivered out of order by delay(0)").isZero();
    }

    @Test
    void observeOnNeverDeliversConcurrently() {
        final int items = 200_000;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger concurrentDeliveries = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        // Four threads emit through merge, so the source side runs on several threads at once.
        final Flowable<Integer> source = Flowable.merge(List.of(
                Flowable.range(0, items / 4).subscribeOn(Schedulers.io()),
                Flowable.range(0, items / 4).subscribeOn(Schedulers.io()),
                Flowable.range(0, items / 4).subscribeOn(Schedulers.io()),
                Flowable.range(0, items / 4).subscribeOn(Schedulers.io())));
        final TestSubscriber<Integer> subscriber = source
                .observeOn(scheduler, false, 16)
                .doOnNext(item -> {
                    if (inFlight.incrementAndGet() != 1) {
                        concurrentDeliveries.incrementAndGet();
                    }
                    received.incrementAndGet();
                    inFlight.decrementAndGet();
                })
                .test();
        subscriber.awaitDone(PROMPTLY.toMillis() * 3, MILLISECONDS).assertNoErrors().assertComplete();
        assertThat(received.get()).as("items received").isEqualTo(items);
        assertThat(concurrentDeliveries.get()).as("onNext calls made while another was running").isZero();
    }

    // ---------------------------------------------------------------------------------------
    // Helpers

    /** A new worker of the scheduler under test, disposed after the test. */
    protected final Scheduler.Worker worker() {
        final Scheduler.Worker worker = scheduler.createWorker();
        workers.add(worker);
        return worker;
    }

    private <D extends Disposable> D track(D disposable) {
        disposables.add(disposable);
        return disposable;
    }

    private void assumeSpindle() {
        assumeTrue(isSpindle(), "Spindle-only: RxJava's peers legitimately behave otherwise (see the test's Javadoc)");
    }

    /** Runs a marker task on a fresh worker after {@code delayMillis}, and waits for it. */
    private void awaitMarker(long delayMillis, String what) throws InterruptedException {
        final CountDownLatch marker = new CountDownLatch(1);
        worker().schedule(marker::countDown, delayMillis, MILLISECONDS);
        await(marker, what);
    }

    private void assertFixedRate(PeriodicScheduling scheduling) throws Exception {
        final int runs = 8;
        final AtomicReferenceArray<Long> starts = new AtomicReferenceArray<>(runs);
        final AtomicInteger count = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(runs);
        final long scheduledAt = System.nanoTime();
        scheduling.schedule(() -> {
            final int run = count.getAndIncrement();
            if (run < runs) {
                starts.set(run, System.nanoTime());
                // Each run takes a third of the period: a fixed-delay schedule would drift by that much per run.
                spinFor(MILLISECONDS.toNanos(PERIOD_MILLIS) / 3);
                done.countDown();
            }
        }, PERIOD_MILLIS);
        await(done, runs + " runs of a periodic task");
        for (int k = 0; k < runs; k++) {
            final long earliest = MILLISECONDS.toNanos((k + 1) * PERIOD_MILLIS) - CLOCK_GRANULARITY_NANOS;
            assertThat(starts.get(k) - scheduledAt).as("nanoseconds from scheduling to run %d (period %d ms)", k, PERIOD_MILLIS)
                    .isGreaterThanOrEqualTo(earliest);
        }
    }

    private void assertStopsOnError(Consumer<Runnable> scheduling) throws Exception {
        final RuntimeException boom = new RuntimeException("boom from a periodic task");
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch thrown = new CountDownLatch(1);
        scheduling.accept(() -> {
            if (runs.incrementAndGet() == 3) {
                thrown.countDown();
                throw boom;
            }
        });
        await(thrown, "the third run of a periodic task, which throws");
        awaitCondition(() -> reportedErrors.stream().anyMatch(e -> isOrWraps(e, boom)), PROMPTLY,
                () -> "the periodic task's exception at RxJavaPlugins.onError; reported so far: " + reportedErrors);
        // With a 1 ms period, 20 more ticks would have been due by the time the marker runs.
        awaitMarker(20, "a marker 20 periods after the failure");
        assertThat(runs.get()).as("runs of a periodic task that threw on its third").isEqualTo(3);
    }

    private static void blockAndRecord(AtomicReference<Throwable> thrown, CountDownLatch done) {
        try {
            // RxJava checks for a non-blocking thread only when it has to wait, so the source must
            // not have emitted yet when blockingFirst() looks: never() (a short timer could fire
            // first on a loaded machine). The timeout bounds the wait where blocking is allowed.
            Flowable.never().timeout(1, TimeUnit.SECONDS, Schedulers.single()).blockingFirst();
            thrown.set(new AssertionError("blockingFirst() returned normally on " + Thread.currentThread().getName()));
        } catch (Throwable t) {
            thrown.set(t);
        } finally {
            done.countDown();
        }
    }

    private static void record(ConcurrentLinkedQueue<String> order, String what, CountDownLatch done) {
        order.add(what);
        done.countDown();
    }

    private static Runnable named(String name, Runnable body) {
        return new Runnable() {
            @Override
            public void run() {
                body.run();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** Waits for {@code latch} (bounded) through any interrupt, and restores the interrupt after. */
    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        final long deadline = System.nanoTime() + PROMPTLY.toNanos();
        boolean interrupted = false;
        while (latch.getCount() > 0 && System.nanoTime() - deadline < 0) {
            try {
                latch.await(deadline - System.nanoTime(), NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await(PROMPTLY.toNanos(), NANOSECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("producers did not start together", e);
        }
    }

    private static Thread startThread(Runnable body) {
        final Thread thread = new Thread(body, "contract-producer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(PROMPTLY.toMillis());
            if (thread.isAlive()) {
                fail("producer %s still running after %s", thread.getName(), PROMPTLY);
            }
        }
    }

    @FunctionalInterface
    private interface PeriodicScheduling {
        void schedule(Runnable task, long initialDelayMillis);
    }

    /** Counts tasks that start while another task it made is still running. */
    private static final class OverlapDetector {
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger overlaps = new AtomicInteger();

        /** A task that marks itself running for {@code busyNanos}, then runs {@code then}. */
        Runnable task(long busyNanos, Runnable then) {
            return () -> {
                if (running.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                spinFor(busyNanos);
                running.decrementAndGet();
                then.run();
            };
        }

        int overlaps() {
            return overlaps.get();
        }
    }
}
