package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.PROMPTLY;
import static io.spindle.reactor.ReactorTestSupport.await;
import static io.spindle.reactor.ReactorTestSupport.awaitCondition;
import static io.spindle.reactor.ReactorTestSupport.awaitIgnoringInterrupts;
import static io.spindle.reactor.ReactorTestSupport.millisSince;
import static io.spindle.reactor.ReactorTestSupport.spinFor;
import static io.spindle.reactor.ReactorTestSupport.usedHeapAfterGc;
import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MICROSECONDS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.context.ContextRegistry;
import io.spindle.reactor.ReactorTestSupport.OverlapDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/**
 * The Reactor {@link Scheduler} contract as Reactor's operators and users rely on it, in our own
 * words (issue #5, {@code reference/reactor.md} §1, §3, §4, §8), run against every way of getting
 * a Spindle scheduler ({@code create}, {@code wrap}, the {@code Schedulers.Factory}) and against
 * Reactor's own {@code Schedulers.newParallel}, so that each test is shown to pass on a real peer.
 *
 * <p>Reactor's own {@code AbstractSchedulerTest} covers the lifecycle, rejection and delays; this
 * suite covers the same ground and adds what Reactor's operators need but its tests never check:
 * a Worker runs its tasks FIFO and never two at once (also under four producers, with delayed
 * and periodic tasks), periodic runs never overlap and survive a throwing run, the
 * {@code onSchedule} hook sees each task once on the submitting thread, task errors reach
 * {@code Schedulers.onHandleError}, threads are non-blocking, memory is returned, and
 * ThreadLocals follow the Reactor context across the hop.
 *
 * <h2>What a subclass provides</h2>
 * <ul>
 *   <li>{@link #scheduler()}: an initialised scheduler with {@link #WORKERS} threads named
 *       {@link #name()}{@code ...}, called once before each test; {@link #release} undoes what it
 *       set up (it must tolerate a scheduler the test already disposed).</li>
 *   <li>{@link #freshScheduler()}: a scheduler as a {@code Schedulers.Factory} returns it, not
 *       yet initialised; the suite disposes it.</li>
 *   <li>{@link #isSpindle()}: tests named {@code spindleOnly...} check a choice Spindle makes
 *       where Reactor's peer legitimately differs (DESIGN.md "Contract decisions"); they are
 *       skipped for the peer.</li>
 *   <li>{@link #pendingTimers()}: the pool's pending-timer count, where there is one.</li>
 * </ul>
 *
 * <h2>How the tests wait</h2>
 * Every wait is bounded ({@link ReactorTestSupport#PROMPTLY}). "Did not run" is never shown by
 * sleeping: the test schedules a <em>marker</em> task on another Worker, due after the task in
 * question would have been due, and checks once the marker has run. Timing assertions are
 * strict on the early side (never before the delay) and generous on the late side. Global hooks
 * a test installs ({@code onScheduleHook}, {@code onHandleError}, automatic context propagation,
 * a {@code ThreadLocalAccessor}) are removed after it, pass or fail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ReactorSchedulerContract {

    /** The number of threads every scheduler under test has. */
    static final int WORKERS = 4;

    /** The key under which tests install their {@code onScheduleHook}. */
    private static final String HOOK_KEY = "spindle-contract";

    /** The key of the ThreadLocal the context-propagation test registers. */
    private static final String CONTEXT_KEY = "spindle.contract.request";

    private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

    /** The delay of "did not run" checks: long enough to tell "after the delay" from "at once". */
    private static final long DELAY_MILLIS = 30;

    /**
     * Slack on the early side of periodic timing: Reactor's parallel scheduler computes its ticks
     * with {@code nanoTime}, but a scheduler may reasonably count on {@code now(MILLISECONDS)},
     * whose ticks can sit up to a millisecond (plus the two clocks' disagreement) before the exact
     * multiple measured with {@code nanoTime}.
     */
    private static final long CLOCK_GRANULARITY_NANOS = MILLISECONDS.toNanos(2);

    private static final int PRODUCERS = 4;
    private static final int TASKS_PER_PRODUCER = 50_000;

    /**
     * How long each stress task keeps its thread: a microsecond, so that a Worker that lets two
     * tasks run at once is caught in the act, while 200,000 of them still take well under a second.
     */
    private static final long STRESS_TASK_NANOS = MICROSECONDS.toNanos(1);

    /** Rounds of {@link #atMostOneTaskPerThreadStartsAfterDisposeReturnsEvenWhenTimersAreFiring()}: the race it looks for is narrow. */
    private static final int DISPOSE_ROUNDS = 200;

    private static final Runnable NOOP = () -> {};

    private Scheduler scheduler;
    private final List<Scheduler> freshSchedulers = Collections.synchronizedList(new ArrayList<>());
    private final List<Scheduler.Worker> workers = Collections.synchronizedList(new ArrayList<>());
    private final List<Disposable> disposables = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Throwable> handledErrors = new ConcurrentLinkedQueue<>();
    private final List<Runnable> releases = Collections.synchronizedList(new ArrayList<>());

    /** An initialised scheduler of {@link #WORKERS} threads; called once before each test. */
    protected abstract Scheduler scheduler();

    /** A scheduler as {@code Schedulers.Factory.newParallel} returns it: not yet initialised. */
    protected abstract Scheduler freshScheduler();

    /** The name the scheduler under test was given: its threads' names start with it, and Attr.NAME shows it. */
    protected abstract String name();

    /** Undoes what {@link #scheduler()} set up; the test may have disposed the scheduler already. */
    protected void release(Scheduler scheduler) throws Exception {
        scheduler.dispose();
    }

    /** Whether the scheduler under test is Spindle's; {@code spindleOnly...} tests are skipped otherwise. */
    protected boolean isSpindle() {
        return false;
    }

    /**
     * Whether disposing the scheduler reaches the tasks it already accepted: pending ones never
     * run, running ones are interrupted ({@code dispose()}) or waited for
     * ({@code disposeGracefully()}). True for every scheduler that owns its threads; one that
     * only borrows a pool someone else owns may leave accepted tasks to that pool.
     */
    protected boolean disposeReachesAcceptedTasks() {
        return true;
    }

    /** Waits until the scheduler under test has no pending timer, where it can say (Spindle). */
    private void awaitNoPendingTimers(String after) throws Exception {
        if (pendingTimers().isPresent()) {
            awaitCondition(() -> pendingTimers().getAsLong() == 0, PROMPTLY,
                    () -> "pending timers to drop to 0 after " + after + "; still " + pendingTimers().getAsLong());
        }
    }

    /** The number of timers pending in the scheduler's pool, if it reports one. */
    protected OptionalLong pendingTimers() {
        return OptionalLong.empty();
    }

    @BeforeEach
    final void setUpScheduler() {
        Schedulers.onHandleError((thread, error) -> handledErrors.add(error));
        scheduler = scheduler();
    }

    @AfterEach
    final void tearDown() throws Exception {
        try {
            releases.forEach(Runnable::run);
            disposables.forEach(Disposable::dispose);
            workers.forEach(Disposable::dispose);
            freshSchedulers.forEach(Disposable::dispose);
            release(scheduler);
        } finally {
            Schedulers.resetOnHandleError();
            Schedulers.resetOnScheduleHook(HOOK_KEY);
            Hooks.disableAutomaticContextPropagation();
            ContextRegistry.getInstance().removeThreadLocalAccessor(CONTEXT_KEY);
            REQUEST.remove();
        }
    }

    // ---------------------------------------------------------------------------------------
    // 1. Lifecycle

    @Test
    void freshSchedulerIsNotDisposedBeforeInitAndRunsTasksAfter() throws Exception {
        final Scheduler fresh = fresh();
        assertThat(fresh.isDisposed()).as("isDisposed() before init()").isFalse();
        fresh.init();
        assertThat(fresh.isDisposed()).as("isDisposed() after init()").isFalse();
        final CountDownLatch ran = new CountDownLatch(2);
        fresh.schedule(ran::countDown);
        fresh.createWorker().schedule(ran::countDown);
        await(ran, "a direct and a worker task on a freshly initialised scheduler");
        fresh.dispose();
        assertThat(fresh.isDisposed()).as("isDisposed() after dispose()").isTrue();
    }

    @Test
    void initIsIdempotentOnALiveScheduler() throws Exception {
        scheduler.init();
        scheduler.init();
        assertThat(scheduler.isDisposed()).as("isDisposed() after two more init() calls").isFalse();
        final CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule(ran::countDown);
        await(ran, "a task after init() was called again");

        final Scheduler fresh = fresh();
        fresh.init();
        fresh.init();
        final CountDownLatch freshRan = new CountDownLatch(1);
        fresh.schedule(freshRan::countDown);
        await(freshRan, "a task on a fresh scheduler initialised twice");
    }

    @Test
    void initAfterDisposeThrowsIllegalState() {
        final Scheduler fresh = fresh();
        fresh.init();
        fresh.dispose();
        assertThatIllegalStateException().as("init() after dispose()").isThrownBy(fresh::init);

        scheduler.dispose();
        assertThatIllegalStateException().as("init() after dispose() of the scheduler under test").isThrownBy(scheduler::init);
    }

    @Test
    void aSchedulerDisposedBeforeInitCannotBeInitialisedAndRejects() {
        final Scheduler fresh = fresh();
        fresh.dispose();
        assertThat(fresh.isDisposed()).as("isDisposed() after dispose() before init()").isTrue();
        assertThatIllegalStateException().as("init() after dispose() before init()").isThrownBy(fresh::init);
        assertRejects(() -> fresh.schedule(NOOP), "schedule(task) on a scheduler disposed before init()");

        final Scheduler graceful = fresh();
        StepVerifier.create(graceful.disposeGracefully()).expectComplete().verify(PROMPTLY);
        assertThat(graceful.isDisposed()).as("isDisposed() after disposeGracefully() before init()").isTrue();
        assertThatIllegalStateException().as("init() after disposeGracefully() before init()").isThrownBy(graceful::init);
    }

    @Test
    void initAfterGracefulDisposeThrowsIllegalState() {
        final Scheduler fresh = fresh();
        fresh.init();
        StepVerifier.create(fresh.disposeGracefully()).expectComplete().verify(PROMPTLY);
        assertThat(fresh.isDisposed()).as("isDisposed() after disposeGracefully() completed").isTrue();
        assertThatIllegalStateException().as("init() after disposeGracefully()").isThrownBy(fresh::init);
    }

    @Test
    void everyScheduleAfterDisposeThrowsRejectedExecution() {
        final Scheduler.Worker workerBefore = worker();
        scheduler.dispose();
        assertThat(scheduler.isDisposed()).isTrue();
        assertRejects(() -> scheduler.schedule(NOOP), "schedule(task)");
        assertRejects(() -> scheduler.schedule(NOOP, 0, MILLISECONDS), "schedule(task, 0 ms)");
        assertRejects(() -> scheduler.schedule(NOOP, 10, MILLISECONDS), "schedule(task, 10 ms)");
        assertRejects(() -> scheduler.schedulePeriodically(NOOP, 10, 10, MILLISECONDS), "schedulePeriodically");
        assertRejects(() -> scheduler.createWorker().schedule(NOOP), "createWorker().schedule(task)");
        assertRejects(() -> scheduler.createWorker().schedule(NOOP, 10, MILLISECONDS), "createWorker().schedule(task, 10 ms)");
        assertRejects(() -> scheduler.createWorker().schedulePeriodically(NOOP, 10, 10, MILLISECONDS),
                "createWorker().schedulePeriodically");
        assertRejects(() -> workerBefore.schedule(NOOP), "schedule(task) on a worker created before dispose()");
        assertRejects(() -> workerBefore.schedule(NOOP, 10, MILLISECONDS), "delayed schedule on a worker created before dispose()");
    }

    /**
     * Spindle-only: a bad argument fails at the call, naming the argument (DESIGN.md standards).
     * Reactor's parallel scheduler accepts a null task and fails later, on its own thread.
     */
    @Test
    void spindleOnlyNullTaskIsRejectedAtTheCallNamingTheArgument() {
        assumeSpindle();
        final Scheduler.Worker worker = worker();
        final List<Runnable> calls = List.of(
                () -> scheduler.schedule(null),
                () -> scheduler.schedule(null, 1, MILLISECONDS),
                () -> scheduler.schedulePeriodically(null, 1, 1, MILLISECONDS),
                () -> worker.schedule(null),
                () -> worker.schedule(null, 1, MILLISECONDS),
                () -> worker.schedulePeriodically(null, 1, 1, MILLISECONDS));
        for (int i = 0; i < calls.size(); i++) {
            assertThatThrownBy(calls.get(i)::run).as("schedule call %d of 6 with a null task", i)
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("task");
        }
        assertThatThrownBy(() -> scheduler.schedule(NOOP, 1, null)).as("schedule(task, 1, null)")
                .isInstanceOf(NullPointerException.class).hasMessageContaining("unit");
    }

    @Test
    void disposedWorkerRejectsWithReactorsSingleton() {
        final Scheduler.Worker worker = worker();
        worker.dispose();
        assertThat(worker.isDisposed()).isTrue();
        final RejectedExecutionException expected = Exceptions.failWithRejected();
        assertThatThrownBy(() -> worker.schedule(NOOP)).as("schedule(task) on a disposed worker").isSameAs(expected);
        assertThatThrownBy(() -> worker.schedule(NOOP, 10, MILLISECONDS)).as("schedule(task, 10 ms) on a disposed worker")
                .isSameAs(expected);
        assertThatThrownBy(() -> worker.schedulePeriodically(NOOP, 10, 10, MILLISECONDS))
                .as("schedulePeriodically on a disposed worker").isSameAs(expected);
    }

    @Test
    void disposingAWorkerDisposesEveryPendingHandleAndRunsNoneOfThem() throws Exception {
        final Scheduler.Worker worker = worker();
        final CountDownLatch blockerStarted = new CountDownLatch(1);
        final CountDownLatch releaseBlocker = new CountDownLatch(1);
        final AtomicInteger pendingRuns = new AtomicInteger();
        final List<Disposable> handles = new ArrayList<>();
        // The blocker holds its thread until the test releases it, even if dispose() interrupts it.
        handles.add(worker.schedule(() -> {
            blockerStarted.countDown();
            awaitIgnoringInterrupts(releaseBlocker);
        }));
        await(blockerStarted, "the worker's first task");
        for (int i = 0; i < 7; i++) {
            handles.add(worker.schedule(pendingRuns::incrementAndGet));
        }
        handles.add(worker.schedule(pendingRuns::incrementAndGet, DELAY_MILLIS, MILLISECONDS));
        handles.add(worker.schedulePeriodically(pendingRuns::incrementAndGet, DELAY_MILLIS, 1, MILLISECONDS));
        assertThat(handles).hasSize(10);
        for (Disposable handle : handles) {
            assertThat(handle.isDisposed()).as("a handle before the worker is disposed: %s", handle).isFalse();
        }
        worker.dispose();
        for (int i = 0; i < handles.size(); i++) {
            assertThat(handles.get(i).isDisposed()).as("handle %d of 10 (0 is running) after worker.dispose()", i).isTrue();
        }
        releaseBlocker.countDown();
        awaitMarker(3 * DELAY_MILLIS, "a marker on another worker");
        assertThat(pendingRuns.get()).as("runs of tasks pending on a worker when it was disposed").isZero();
    }

    @Test
    void disposingOneWorkerLeavesTheOthersWorking() throws Exception {
        final Scheduler.Worker disposed = worker();
        final Scheduler.Worker other = worker();
        disposed.dispose();
        final CountDownLatch ran = new CountDownLatch(3);
        other.schedule(ran::countDown);
        other.schedule(ran::countDown, 1, MILLISECONDS);
        scheduler.schedule(ran::countDown);
        await(ran, "tasks of another worker and a direct task after one worker was disposed");
    }

    /**
     * Producers keep scheduling on one worker while the test disposes it: every call either
     * throws the rejection or returns a handle, no task starts once {@code dispose()} has
     * returned, and every handle ends up disposed. "Starts" is seen from inside the task, so
     * the one task that may have won its start just as {@code dispose()} came (and been
     * descheduled before its first line) is allowed: one, since a worker runs one at a time.
     */
    @Test
    void noWorkerTaskStartsAfterTheWorkersDisposeReturnsUnderConcurrentScheduling() throws Exception {
        final Scheduler.Worker worker = worker();
        final AtomicBoolean disposed = new AtomicBoolean();
        final AtomicInteger startedAfterDispose = new AtomicInteger();
        final AtomicInteger ran = new AtomicInteger();
        final AtomicInteger rejected = new AtomicInteger();
        final AtomicInteger unexpected = new AtomicInteger();
        final ConcurrentLinkedQueue<Disposable> handles = new ConcurrentLinkedQueue<>();
        final CountDownLatch someRan = new CountDownLatch(1_000);
        final Runnable task = () -> {
            if (disposed.get()) {
                startedAfterDispose.incrementAndGet();
            }
            ran.incrementAndGet();
            someRan.countDown();
            spinFor(MICROSECONDS.toNanos(1));
        };
        final CyclicBarrier start = new CyclicBarrier(PRODUCERS);
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            final boolean delayed = p % 2 == 1;
            producers.add(startThread(() -> {
                awaitBarrier(start);
                // Until the first rejection: every producer is still going when dispose() comes.
                final long deadline = System.nanoTime() + PROMPTLY.toNanos();
                for (int i = 0; System.nanoTime() - deadline < 0; i++) {
                    try {
                        handles.add(delayed ? worker.schedule(task, i % 3, MILLISECONDS) : worker.schedule(task));
                    } catch (RejectedExecutionException e) {
                        rejected.incrementAndGet();
                        return;
                    } catch (Throwable t) {
                        unexpected.incrementAndGet();
                        return;
                    }
                }
            }));
        }
        await(someRan, "the first thousand tasks");
        worker.dispose();
        disposed.set(true);
        joinAll(producers);
        awaitMarker(3 * DELAY_MILLIS, "a marker on another worker after the delayed tasks were due");
        assertThat(unexpected.get()).as("schedule calls that threw something other than RejectedExecutionException").isZero();
        assertThat(rejected.get()).as("producers that saw a RejectedExecutionException after dispose()").isEqualTo(PRODUCERS);
        assertThat(startedAfterDispose.get()).as("tasks that started after worker.dispose() returned (%d ran)", ran.get())
                .isLessThanOrEqualTo(1);
        assertThat(handles.stream().filter(handle -> !handle.isDisposed()).count())
                .as("handles of %d accepted tasks not disposed after the worker was", handles.size()).isZero();
    }

    /**
     * With every thread held by a blocking task until after {@code dispose()} returned, none of
     * the tasks queued or due behind them may start at all: none can have been taken yet.
     */
    @Test
    void noTaskStartsAfterTheSchedulersDisposeReturns() throws Exception {
        assumeTrue(disposeReachesAcceptedTasks(), "this scheduler leaves accepted tasks to a pool it does not own");
        final AtomicBoolean disposed = new AtomicBoolean();
        final CountDownLatch allBlocked = new CountDownLatch(WORKERS);
        final CountDownLatch release = new CountDownLatch(1);
        releases.add(release::countDown);
        for (int i = 0; i < WORKERS; i++) {
            scheduler.schedule(() -> {
                allBlocked.countDown();
                awaitIgnoringInterrupts(release);
            });
        }
        await(allBlocked, "a blocking task on every thread");
        final ConcurrentLinkedQueue<String> lateStarts = new ConcurrentLinkedQueue<>();
        final Function<String, Runnable> task = kind -> () -> {
            if (disposed.get()) {
                lateStarts.add(kind + " on " + Thread.currentThread().getName());
            }
        };
        final Scheduler.Worker worker = worker();
        final List<Disposable> pending = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            pending.add(scheduler.schedule(task.apply("direct")));
            pending.add(worker.schedule(task.apply("worker")));
            pending.add(scheduler.schedule(task.apply("delayed direct"), 1, MILLISECONDS));
            pending.add(worker.schedule(task.apply("delayed worker"), 1, MILLISECONDS));
        }
        scheduler.dispose();
        disposed.set(true);
        release.countDown();
        final CountDownLatch marker = new CountDownLatch(1);
        final Scheduler bystander = Schedulers.newSingle("contract-bystander");
        try {
            bystander.schedule(marker::countDown, 3 * DELAY_MILLIS, MILLISECONDS);
            await(marker, "a marker on another scheduler");
        } finally {
            bystander.dispose();
        }
        assertThat(lateStarts).as("pending tasks that started after dispose() returned").isEmpty();
        if (isSpindle()) {
            // DESIGN.md: pending handles become disposed. Reactor's parallel scheduler drops the
            // tasks from its executors' queues but leaves their handles saying "not disposed".
            final List<String> notDisposed = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                if (!pending.get(i).isDisposed()) {
                    notDisposed.add(List.of("direct", "worker", "delayed direct", "delayed worker").get(i % 4) + " task " + i / 4 + ": " + pending.get(i));
                }
            }
            assertThat(notDisposed).as("handles of pending tasks not disposed by the scheduler's dispose()").isEmpty();
        }
    }

    /**
     * Tasks that have not started when {@code dispose()} returns never start, except the one
     * each thread may already have taken off its queue at that instant (Reactor's parallel
     * scheduler has that race too: a thread that has just dequeued a task runs it). So at most
     * one late start per thread. Delayed tasks coming due right then are the hard case: a timer
     * may have taken a whole batch of them off its queue but not yet handed them to the threads
     * when the scheduler stops. Up to {@link #DISPOSE_ROUNDS} fresh schedulers, each disposed
     * while its timers expire, each checked once it has terminated (nothing can start then).
     */
    @Test
    void atMostOneTaskPerThreadStartsAfterDisposeReturnsEvenWhenTimersAreFiring() throws Exception {
        List<String> worstRound = List.of();
        for (int round = 0; round < DISPOSE_ROUNDS && worstRound.size() <= WORKERS; round++) {
            final ConcurrentLinkedQueue<String> lateStarts = new ConcurrentLinkedQueue<>();
            final Scheduler victim = freshScheduler();
            victim.init();
            final AtomicBoolean disposed = new AtomicBoolean();
            final Scheduler.Worker worker = victim.createWorker();
            // Big batches due at the same few ticks, and a dispose swept across them round by round.
            for (int i = 0; i < 1_000; i++) {
                final String what = "round " + round + " task " + i + " (" + (1 + i % 2) + " ms)";
                victim.schedule(lateStartRecorder(disposed, lateStarts, "direct " + what), 1 + i % 2, MILLISECONDS);
                if (i % 4 == 0) {
                    worker.schedule(lateStartRecorder(disposed, lateStarts, "worker " + what), 1 + i % 2, MILLISECONDS);
                }
            }
            spinFor(MICROSECONDS.toNanos(500 + 100 * (round % 25)));
            victim.dispose();
            disposed.set(true);
            // Completes once the (already stopped) scheduler has terminated.
            StepVerifier.create(victim.disposeGracefully()).expectComplete().verify(PROMPTLY);
            if (lateStarts.size() > worstRound.size()) {
                worstRound = List.copyOf(lateStarts);
            }
        }
        assertThat(worstRound).as("tasks that started after dispose() returned, in the worst round (%d threads)", WORKERS)
                .hasSizeLessThanOrEqualTo(WORKERS);
    }

    @Test
    void gracefulDisposeIsSharedTimesOutWhileATaskRefusesToStopAndCompletesOnceItExits() throws Exception {
        assumeTrue(disposeReachesAcceptedTasks(), "this scheduler leaves accepted tasks to a pool it does not own");
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        releases.add(() -> stop.set(true));
        scheduler.schedule(() -> {
            started.countDown();
            final long deadline = System.nanoTime() + PROMPTLY.toNanos();
            while (!stop.get() && System.nanoTime() - deadline < 0) {
                if (Thread.interrupted()) {
                    interrupted.set(true);
                }
                Thread.onSpinWait();
            }
        });
        await(started, "the task that refuses to stop");

        final int subscribers = 10;
        final ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
        runConcurrently(subscribers, () -> {
            try {
                scheduler.disposeGracefully().timeout(Duration.ofMillis(40)).block(PROMPTLY);
                outcomes.add(new AssertionError("disposeGracefully() completed while a task was still running"));
            } catch (Throwable t) {
                outcomes.add(t);
            }
        });
        assertThat(outcomes).as("what %d concurrent disposeGracefully().timeout(40ms) ended with", subscribers)
                .hasSize(subscribers)
                .allSatisfy(outcome -> assertThat(Exceptions.unwrap(outcome)).isInstanceOf(TimeoutException.class));
        assertThat(interrupted).as("the running task was interrupted by a graceful dispose").isFalse();
        assertRejects(() -> scheduler.schedule(NOOP), "schedule(task) while disposing gracefully");

        final Mono<Void> retried = scheduler.disposeGracefully();
        final CountDownLatch allCompleted = new CountDownLatch(subscribers);
        final List<Disposable> retries = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            retries.add(retried.subscribe(null, error -> {}, allCompleted::countDown));
        }
        stop.set(true);
        await(allCompleted, subscribers + " subscribers to one disposeGracefully() once the task exited");
        retries.forEach(Disposable::dispose);
        StepVerifier.create(scheduler.disposeGracefully()).expectComplete().verify(PROMPTLY);
        assertThat(scheduler.isDisposed()).as("isDisposed() after a completed graceful dispose").isTrue();
        assertRejects(() -> scheduler.schedule(NOOP), "schedule(task) after a graceful dispose");
        assertRejects(() -> scheduler.createWorker().schedule(NOOP), "createWorker().schedule(task) after a graceful dispose");
    }

    @Test
    void disposeAfterATimedOutGracefulDisposeInterruptsTheRunningTask() throws Exception {
        assumeTrue(disposeReachesAcceptedTasks(), "this scheduler leaves accepted tasks to a pool it does not own");
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch never = new CountDownLatch(1);
        releases.add(never::countDown);
        scheduler.schedule(() -> {
            started.countDown();
            try {
                never.await(PROMPTLY.toNanos(), NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await(started, "the long task");
        StepVerifier.create(scheduler.disposeGracefully().timeout(Duration.ofMillis(40)))
                .expectError(TimeoutException.class)
                .verify(PROMPTLY);
        assertThat(interrupted.getCount()).as("interrupts before the forcing dispose() (1 = none)").isEqualTo(1);
        scheduler.dispose();
        await(interrupted, "the running task's interrupt after dispose() followed a timed-out disposeGracefully()");
        StepVerifier.create(scheduler.disposeGracefully()).expectComplete().verify(PROMPTLY);
    }

    // ---------------------------------------------------------------------------------------
    // 2. Task handles

    @Test
    void disposingAPendingDirectTaskPreventsItsRun() throws Exception {
        final AtomicInteger runs = new AtomicInteger();
        final Disposable delayed = scheduler.schedule(runs::incrementAndGet, DELAY_MILLIS, MILLISECONDS);
        final Disposable periodic = scheduler.schedulePeriodically(runs::incrementAndGet, DELAY_MILLIS, 1, MILLISECONDS);
        delayed.dispose();
        periodic.dispose();
        assertThat(delayed.isDisposed()).as("a disposed delayed handle").isTrue();
        assertThat(periodic.isDisposed()).as("a disposed periodic handle").isTrue();
        awaitMarker(3 * DELAY_MILLIS, "a marker after the disposed tasks' due time");
        assertThat(runs.get()).as("runs of disposed pending tasks").isZero();
    }

    @Test
    void disposingAPendingWorkerTaskPreventsItsRunAndTheWorkerGoesOn() throws Exception {
        final Scheduler.Worker worker = worker();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch blockerStarted = new CountDownLatch(1);
        final AtomicInteger disposedRuns = new AtomicInteger();
        final CountDownLatch after = new CountDownLatch(1);
        worker.schedule(() -> {
            blockerStarted.countDown();
            awaitIgnoringInterrupts(release);
        });
        await(blockerStarted, "the worker's blocking task");
        final Disposable pending = worker.schedule(disposedRuns::incrementAndGet);
        final Disposable pendingDelayed = worker.schedule(disposedRuns::incrementAndGet, 1, MILLISECONDS);
        worker.schedule(after::countDown);
        pending.dispose();
        pendingDelayed.dispose();
        assertThat(pending.isDisposed()).isTrue();
        release.countDown();
        await(after, "the task queued after the disposed one");
        awaitMarker(DELAY_MILLIS, "a marker after the disposed delayed task was due");
        assertThat(disposedRuns.get()).as("runs of disposed pending worker tasks").isZero();
    }

    @Test
    void disposingARunningDirectTaskFromAnotherThreadInterruptsIt() throws Exception {
        assertDisposeFromAnotherThreadInterrupts(task -> scheduler.schedule(task), "direct task");
    }

    @Test
    void disposingARunningWorkerTaskFromAnotherThreadInterruptsIt() throws Exception {
        final Scheduler.Worker worker = worker();
        assertDisposeFromAnotherThreadInterrupts(worker::schedule, "worker task");
        // The interrupt was meant for the disposed task only: the worker's next task must not see it.
        final AtomicBoolean nextInterrupted = new AtomicBoolean(true);
        final CountDownLatch next = new CountDownLatch(1);
        worker.schedule(() -> {
            nextInterrupted.set(Thread.currentThread().isInterrupted());
            next.countDown();
        });
        await(next, "the worker's next task");
        assertThat(nextInterrupted).as("the next task of the worker saw the interrupt meant for a disposed one").isFalse();
    }

    /**
     * The interrupt a dispose sends is meant for the task it disposes only: when it races with
     * the task's end, the thread must not carry it into whatever it runs next. Victims are
     * disposed from another thread as they run; probes, never disposed, look at their thread's
     * interrupt status as they start.
     */
    @Test
    void interruptsFromDisposeNeverLeakIntoLaterTasks() throws Exception {
        final Scheduler.Worker worker = worker();
        final AtomicInteger leaks = new AtomicInteger();
        final Runnable probe = () -> {
            if (Thread.currentThread().isInterrupted()) {
                leaks.incrementAndGet();
            }
        };
        final int rounds = 5_000;
        final CountDownLatch probesDone = new CountDownLatch(4 * rounds);
        final Runnable countedProbe = () -> {
            probe.run();
            probesDone.countDown();
        };
        for (int i = 0; i < rounds; i++) {
            final Disposable direct = scheduler.schedule(() -> spinFor(MICROSECONDS.toNanos(2)));
            final Disposable onWorker = worker.schedule(() -> spinFor(MICROSECONDS.toNanos(2)));
            scheduler.schedule(countedProbe);
            worker.schedule(countedProbe);
            if (i % 2 == 0) {
                spinFor(MICROSECONDS.toNanos(i % 7));
            }
            direct.dispose();
            onWorker.dispose();
            scheduler.schedule(countedProbe);
            worker.schedule(countedProbe);
        }
        await(probesDone, "the probes");
        assertThat(leaks.get()).as("probes that started with their thread's interrupt status set").isZero();
    }

    @Test
    void disposingADirectTaskFromInsideItselfDoesNotInterruptIt() throws Exception {
        assertSelfDisposeDoesNotInterrupt(task -> scheduler.schedule(task), "direct task");
    }

    @Test
    void disposingAWorkerTaskFromInsideItselfDoesNotInterruptIt() throws Exception {
        final Scheduler.Worker worker = worker();
        assertSelfDisposeDoesNotInterrupt(worker::schedule, "worker task");
    }

    @Test
    void handleIsNotDisposedWhileRunningIsDisposedOnceDoneAndDisposingTwiceIsHarmless() throws Exception {
        final Scheduler.Worker worker = worker();
        for (Function<Runnable, Disposable> scheduling : List.<Function<Runnable, Disposable>>of(
                task -> scheduler.schedule(task),
                task -> scheduler.schedule(task, 1, MILLISECONDS),
                task -> worker.schedule(task),
                task -> worker.schedule(task, 1, MILLISECONDS))) {
            final CountDownLatch running = new CountDownLatch(1);
            final CountDownLatch finish = new CountDownLatch(1);
            final Disposable handle = scheduling.apply(() -> {
                running.countDown();
                awaitIgnoringInterrupts(finish);
            });
            await(running, "the task");
            assertThat(handle.isDisposed()).as("isDisposed() while the task runs: %s", handle).isFalse();
            finish.countDown();
            awaitCondition(handle::isDisposed, PROMPTLY, () -> "isDisposed() of a finished task: " + handle);
            assertThatCode(() -> {
                handle.dispose();
                handle.dispose();
            }).as("disposing a finished task's handle twice").doesNotThrowAnyException();
            assertThat(handle.isDisposed()).isTrue();
        }
        final Disposable pending = scheduler.schedule(NOOP, 1, HOURS);
        assertThatCode(() -> {
            pending.dispose();
            pending.dispose();
        }).as("disposing a pending task's handle twice").doesNotThrowAnyException();
        assertThat(pending.isDisposed()).isTrue();
    }

    // ---------------------------------------------------------------------------------------
    // 3. Time

    @Test
    void monoDelayOfAHundredMillisLandsWithinTwoHundredMillisMoreAndNeverEarly() {
        final int runs = 20;
        final List<Double> elapsed = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            final long start = System.nanoTime();
            final Long emittedAt = Mono.delay(Duration.ofMillis(100), scheduler).map(tick -> System.nanoTime()).block(PROMPTLY);
            assertThat(emittedAt).isNotNull();
            elapsed.add((emittedAt - start) / 1e6);
        }
        assertThat(elapsed).as("milliseconds from subscribing to Mono.delay(100 ms) to its onNext, %d runs", runs)
                .hasSize(runs)
                .allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(100.0).isLessThan(300.0));
    }

    @Test
    void directDelaysAreNeverEarlyAndLandWithinAGenerousBound() throws Exception {
        assertDelays((task, millis) -> scheduler.schedule(task, millis, MILLISECONDS), "direct");
    }

    @Test
    void workerDelaysAreNeverEarlyAndLandWithinAGenerousBound() throws Exception {
        final Scheduler.Worker worker = worker();
        assertDelays((task, millis) -> worker.schedule(task, millis, MILLISECONDS), "worker");
    }

    @Test
    void nonPositiveDelaysRunNowAndKeepTheWorkersOrder() throws Exception {
        final Scheduler.Worker worker = worker();
        final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(5);
        worker.schedule(() -> record(order, "zero", done), 0, MILLISECONDS);
        worker.schedule(() -> record(order, "minus one day", done), -1, DAYS);
        worker.schedule(() -> record(order, "plain", done));
        worker.schedule(() -> record(order, "minus one ms", done), -1, MILLISECONDS);
        worker.schedule(() -> record(order, "zero days", done), 0, DAYS);
        await(done, "worker tasks with delays <= 0");
        assertThat(order).containsExactly("zero", "minus one day", "plain", "minus one ms", "zero days");

        final CountDownLatch direct = new CountDownLatch(2);
        scheduler.schedule(direct::countDown, 0, NANOSECONDS);
        scheduler.schedule(direct::countDown, -5, HOURS);
        await(direct, "direct tasks with delays <= 0");
    }

    @Test
    void directPeriodicTaskRunsAtAFixedRate() throws Exception {
        assertFixedRate((task, period) -> track(scheduler.schedulePeriodically(task, period, period, MILLISECONDS)));
    }

    @Test
    void workerPeriodicTaskRunsAtAFixedRate() throws Exception {
        final Scheduler.Worker worker = worker();
        assertFixedRate((task, period) -> track(worker.schedulePeriodically(task, period, period, MILLISECONDS)));
    }

    @Test
    void directPeriodicRunsNeverOverlap() throws Exception {
        assertPeriodicRunsNeverOverlap(task -> track(scheduler.schedulePeriodically(task, 0, 1, MILLISECONDS)));
    }

    @Test
    void workerPeriodicRunsNeverOverlap() throws Exception {
        final Scheduler.Worker worker = worker();
        assertPeriodicRunsNeverOverlap(task -> track(worker.schedulePeriodically(task, 0, 1, MILLISECONDS)));
    }

    @Test
    void directPeriodicTaskSurvivesAThrowingRunAndReportsItOnce() throws Exception {
        assertSurvivesThrowingRun(task -> track(scheduler.schedulePeriodically(task, 1, 5, MILLISECONDS)));
    }

    @Test
    void workerPeriodicTaskSurvivesAThrowingRunAndReportsItOnce() throws Exception {
        final Scheduler.Worker worker = worker();
        assertSurvivesThrowingRun(task -> track(worker.schedulePeriodically(task, 1, 5, MILLISECONDS)));
    }

    @Test
    void disposingAPeriodicTaskStopsIt() throws Exception {
        final Scheduler.Worker worker = worker();
        for (Function<Runnable, Disposable> scheduling : List.<Function<Runnable, Disposable>>of(
                task -> scheduler.schedulePeriodically(task, 1, 1, MILLISECONDS),
                task -> worker.schedulePeriodically(task, 1, 1, MILLISECONDS))) {
            // From outside: at most a tick already running when dispose() returns may finish.
            final AtomicInteger runs = new AtomicInteger();
            final CountDownLatch threeRuns = new CountDownLatch(3);
            final Disposable handle = scheduling.apply(() -> {
                runs.incrementAndGet();
                threeRuns.countDown();
            });
            await(threeRuns, "three runs of a periodic task");
            handle.dispose();
            final int atDispose = runs.get();
            assertThat(handle.isDisposed()).isTrue();

            // From inside its own third run: exactly three runs.
            final AtomicInteger selfRuns = new AtomicInteger();
            final AtomicReference<Disposable> self = new AtomicReference<>();
            final CountDownLatch published = new CountDownLatch(1);
            final CountDownLatch selfDisposed = new CountDownLatch(1);
            self.set(scheduling.apply(() -> {
                awaitIgnoringInterrupts(published);
                if (selfRuns.incrementAndGet() == 3) {
                    self.get().dispose();
                    selfDisposed.countDown();
                }
            }));
            published.countDown();
            await(selfDisposed, "the third run of a periodic task that disposes itself");
            awaitMarker(20, "a marker 20 periods after dispose()");
            assertThat(runs.get()).as("runs of a periodic task disposed from outside after %d runs", atDispose)
                    .isBetween(atDispose, atDispose + 1);
            assertThat(selfRuns.get()).as("runs of a periodic task that disposed itself on its third").isEqualTo(3);
        }
    }

    /**
     * A period of zero or less is Reactor's "instant" periodic task: the next run is submitted
     * as soon as the previous returns. Runs never overlap, disposing stops it, and a run that
     * throws stops it (unlike a positive period) with the error reported once.
     */
    @Test
    void zeroPeriodRunsBackToBackWithoutOverlapUntilDisposedAndStopsOnError() throws Exception {
        final Scheduler.Worker worker = worker();
        for (Function<Runnable, Disposable> scheduling : List.<Function<Runnable, Disposable>>of(
                task -> scheduler.schedulePeriodically(task, 0, 0, MILLISECONDS),
                task -> worker.schedulePeriodically(task, 0, 0, MILLISECONDS))) {
            final OverlapDetector detector = new OverlapDetector();
            final CountDownLatch runs = new CountDownLatch(100);
            final Disposable handle = track(scheduling.apply(detector.task(MICROSECONDS.toNanos(5), runs::countDown)));
            await(runs, "100 runs of a zero-period task");
            handle.dispose();
            assertThat(detector.overlaps()).as("overlapping runs of a zero-period task").isZero();

            final RuntimeException boom = new RuntimeException("boom from the third run of a zero-period task");
            final AtomicInteger throwingRuns = new AtomicInteger();
            track(scheduling.apply(() -> {
                if (throwingRuns.incrementAndGet() == 3) {
                    throw boom;
                }
            }));
            awaitCondition(() -> reportCount(boom) > 0, PROMPTLY,
                    () -> "the zero-period task's error at Schedulers.onHandleError; reported so far: " + handledErrors);
            awaitMarker(DELAY_MILLIS, "a marker after the throwing run");
            assertThat(throwingRuns.get()).as("runs of a zero-period task whose third run threw").isEqualTo(3);
            assertThat(reportCount(boom)).as("reports of its error").isEqualTo(1);
        }
    }

    /** Delays and periods far beyond any real use neither overflow into "now" nor fail; they can be cancelled. */
    @Test
    void hugeDelaysAndPeriodsAreAcceptedNeverRunAndCanBeCancelled() throws Exception {
        final Scheduler.Worker worker = worker();
        final AtomicInteger runs = new AtomicInteger();
        final List<Disposable> handles = List.of(
                scheduler.schedule(runs::incrementAndGet, Long.MAX_VALUE, NANOSECONDS),
                scheduler.schedule(runs::incrementAndGet, Long.MAX_VALUE, DAYS),
                scheduler.schedulePeriodically(runs::incrementAndGet, Long.MAX_VALUE, Long.MAX_VALUE, DAYS),
                worker.schedule(runs::incrementAndGet, Long.MAX_VALUE, MILLISECONDS),
                worker.schedulePeriodically(runs::incrementAndGet, Long.MAX_VALUE / 2, Long.MAX_VALUE, NANOSECONDS));
        awaitMarker(DELAY_MILLIS, "a marker after scheduling tasks due in centuries");
        assertThat(runs.get()).as("runs of tasks due in centuries").isZero();
        for (Disposable handle : handles) {
            assertThat(handle.isDisposed()).as("a pending handle due in centuries: %s", handle).isFalse();
            handle.dispose();
            assertThat(handle.isDisposed()).isTrue();
        }
    }

    @Test
    void disposingAWorkerFromInsideItsTaskStopsTheRestWithoutInterruptingIt() throws Exception {
        final Scheduler.Worker worker = worker();
        final AtomicInteger laterRuns = new AtomicInteger();
        final AtomicReference<String> outcome = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        final CountDownLatch queued = new CountDownLatch(1);
        worker.schedule(() -> {
            awaitIgnoringInterrupts(queued);
            worker.dispose();
            try {
                Thread.sleep(5);
                outcome.set(Thread.currentThread().isInterrupted() ? "interrupt flag set" : "not interrupted");
            } catch (InterruptedException e) {
                outcome.set("interrupted");
            }
            done.countDown();
        });
        for (int i = 0; i < 10; i++) {
            worker.schedule(laterRuns::incrementAndGet);
        }
        worker.schedule(laterRuns::incrementAndGet, 1, MILLISECONDS);
        queued.countDown();
        await(done, "the task that disposes its own worker");
        awaitMarker(DELAY_MILLIS, "a marker on another worker");
        assertThat(outcome.get()).as("the task that disposed its own worker").isEqualTo("not interrupted");
        assertThat(laterRuns.get()).as("runs of tasks queued behind the one that disposed the worker").isZero();
        assertThat(worker.isDisposed()).isTrue();
    }

    /** A task that schedules the next one on its own worker, a hundred thousand times: in order, no overflow. */
    @Test
    void aWorkerTaskCanRescheduleOnItsOwnWorkerAHundredThousandTimes() throws Exception {
        final Scheduler.Worker worker = worker();
        final int hops = 100_000;
        final AtomicInteger count = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        final Runnable[] hop = new Runnable[1];
        hop[0] = () -> {
            try {
                if (count.incrementAndGet() < hops) {
                    worker.schedule(hop[0]);
                } else {
                    done.countDown();
                }
            } catch (Throwable t) {
                failure.set(t);
                done.countDown();
            }
        };
        worker.schedule(hop[0]);
        await(done, hops + " hops of a task rescheduling itself on its worker");
        assertThat(failure.get()).as("what rescheduling threw").isNull();
        assertThat(count.get()).isEqualTo(hops);
    }

    // ---------------------------------------------------------------------------------------
    // 4. Hooks

    @Test
    void onScheduleHookSeesEveryTaskOnceOnTheSubmittingThread() throws Exception {
        final ConcurrentLinkedQueue<Runnable> seen = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> seenOnOtherThreads = new ConcurrentLinkedQueue<>();
        final Thread submitter = Thread.currentThread();
        Schedulers.onScheduleHook(HOOK_KEY, task -> {
            seen.add(task);
            if (Thread.currentThread() != submitter) {
                seenOnOtherThreads.add(task + " on " + Thread.currentThread().getName());
            }
            return task;
        });
        final Scheduler.Worker worker = worker();
        final CountDownLatch oneShots = new CountDownLatch(4);
        final CountDownLatch workerTicks = new CountDownLatch(3);
        final CountDownLatch directTicks = new CountDownLatch(3);
        final Runnable direct = named("direct task", oneShots::countDown);
        final Runnable delayedDirect = named("delayed direct task", oneShots::countDown);
        final Runnable periodicDirect = named("periodic direct task", directTicks::countDown);
        final Runnable plain = named("worker task", oneShots::countDown);
        final Runnable delayed = named("delayed worker task", oneShots::countDown);
        final Runnable periodic = named("periodic worker task", workerTicks::countDown);
        final List<Runnable> tasks = List.of(direct, delayedDirect, periodicDirect, plain, delayed, periodic);

        scheduler.schedule(direct);
        scheduler.schedule(delayedDirect, 1, MILLISECONDS);
        track(scheduler.schedulePeriodically(periodicDirect, 1, 1, MILLISECONDS));
        worker.schedule(plain);
        worker.schedule(delayed, 1, MILLISECONDS);
        track(worker.schedulePeriodically(periodic, 1, 1, MILLISECONDS));
        await(oneShots, "the one-shot tasks");
        await(workerTicks, "three ticks of the periodic worker task");
        await(directTicks, "three ticks of the periodic direct task");

        for (Runnable task : tasks) {
            assertThat(seen.stream().filter(run -> run == task).count()).as("onSchedule calls with the %s", task).isEqualTo(1);
        }
        // Nothing else went through the hook: no per-tick rescheduling, no housekeeping task.
        assertThat(List.copyOf(seen)).as("every onSchedule call while six tasks were scheduled and ran")
                .hasSize(tasks.size());
        assertThat(seenOnOtherThreads.stream().filter(call -> tasks.stream().anyMatch(task -> call.startsWith(task + " on "))))
                .as("onSchedule calls with a user's task made on a thread other than the submitter").isEmpty();
    }

    @Test
    void onScheduleHookDecorationRunsAroundTheTask() throws Exception {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        Schedulers.onScheduleHook(HOOK_KEY, task -> () -> {
            events.add("before");
            task.run();
            events.add("after");
        });
        scheduler.schedule(() -> events.add("direct"));
        awaitCondition(() -> events.size() == 3, PROMPTLY, () -> "before/after around a decorated direct task: " + events);
        worker().schedule(() -> events.add("worker"));
        awaitCondition(() -> events.size() == 6, PROMPTLY, () -> "before/after around a decorated worker task: " + events);
        assertThat(List.copyOf(events)).containsExactly("before", "direct", "after", "before", "worker", "after");
    }

    @Test
    void taskErrorsReachOnHandleErrorOnceAndTheThreadsKeepWorking() throws Exception {
        final Scheduler.Worker worker = worker();
        final RuntimeException direct = new RuntimeException("boom from a direct task");
        final RuntimeException delayedDirect = new RuntimeException("boom from a delayed direct task");
        final RuntimeException workerError = new RuntimeException("boom from a worker task");
        final RuntimeException delayedWorker = new RuntimeException("boom from a delayed worker task");
        final ConcurrentLinkedQueue<Thread> throwers = new ConcurrentLinkedQueue<>();
        final CountDownLatch next = new CountDownLatch(1);
        final CountDownLatch queued = new CountDownLatch(1);
        scheduler.schedule(() -> throwFrom(throwers, direct));
        scheduler.schedule(() -> throwFrom(throwers, delayedDirect), 1, MILLISECONDS);
        worker.schedule(() -> throwFrom(throwers, delayedWorker), 1, MILLISECONDS);
        // Queue the throwing task and the next one from inside a task of the worker, so that the
        // next one is waiting behind it when it throws: the worker must go on to it.
        worker.schedule(() -> {
            worker.schedule(() -> throwFrom(throwers, workerError));
            worker.schedule(next::countDown);
            queued.countDown();
        });
        await(queued, "the task that queues a throwing task and the next one");
        await(next, "the worker's task after a throwing one");
        final List<RuntimeException> expected = List.of(direct, delayedDirect, workerError, delayedWorker);
        awaitCondition(() -> expected.stream().allMatch(e -> reportCount(e) > 0), PROMPTLY,
                () -> "every task error at Schedulers.onHandleError; reported so far: " + handledErrors);
        final CountDownLatch later = new CountDownLatch(2 * WORKERS);
        for (int i = 0; i < 2 * WORKERS; i++) {
            scheduler.schedule(later::countDown);
        }
        await(later, "direct tasks after throwing ones");
        awaitMarker(DELAY_MILLIS, "a marker after the errors were reported");
        for (RuntimeException error : expected) {
            assertThat(reportCount(error)).as("reports of \"%s\" at Schedulers.onHandleError", error.getMessage()).isEqualTo(1);
        }
        assertThat(throwers).as("threads that ran a throwing task are still alive").hasSize(4).allMatch(Thread::isAlive);
    }

    // ---------------------------------------------------------------------------------------
    // 5. Threads

    @Test
    void schedulerThreadsAreNonBlockingAndNamedAfterTheScheduler() throws Exception {
        final ConcurrentLinkedQueue<String> report = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(3);
        final Runnable probe = () -> {
            final Thread thread = Thread.currentThread();
            String blockOutcome;
            try {
                // hide(): Mono.just(1).block() returns the value without subscribing, so it never checks the thread.
                blockOutcome = "block() returned " + Mono.just(1).hide().block();
            } catch (IllegalStateException expected) {
                blockOutcome = "IllegalStateException";
            } catch (Throwable t) {
                blockOutcome = "block() threw " + t;
            }
            report.add(thread.getName() + " nonBlocking=" + Schedulers.isInNonBlockingThread() + " " + blockOutcome);
            done.countDown();
        };
        scheduler.schedule(probe);
        scheduler.schedule(probe, 1, MILLISECONDS);
        worker().schedule(probe);
        await(done, "three probes on scheduler threads");
        assertThat(report).as("each probe: its thread, Schedulers.isInNonBlockingThread(), what Mono.just(1).hide().block() did")
                .hasSize(3)
                .allSatisfy(line -> assertThat(line).startsWith(name()).endsWith(" nonBlocking=true IllegalStateException"));
    }

    // ---------------------------------------------------------------------------------------
    // 6. Scannable

    @Test
    void scanReportsNameCapacityAndTermination() {
        final Scannable scannable = Scannable.from(scheduler);
        assertThat(scannable.isScanAvailable()).as("the scheduler is Scannable").isTrue();
        assertThat(scannable.scan(Scannable.Attr.NAME)).as("Attr.NAME").contains(name());
        assertThat(scannable.scan(Scannable.Attr.CAPACITY)).as("Attr.CAPACITY").isEqualTo(WORKERS);
        assertThat(scannable.scan(Scannable.Attr.TERMINATED)).as("Attr.TERMINATED before dispose()").isFalse();
        assertThat(scannable.scan(Scannable.Attr.CANCELLED)).as("Attr.CANCELLED before dispose()").isFalse();
        scheduler.dispose();
        assertThat(scannable.scan(Scannable.Attr.TERMINATED)).as("Attr.TERMINATED after dispose()").isTrue();
        assertThat(scannable.scan(Scannable.Attr.CANCELLED)).as("Attr.CANCELLED after dispose()").isTrue();
    }

    @Test
    void scanBufferedCountsTasksQueuedBehindABlockedPool() throws Exception {
        final Scannable scannable = Scannable.from(scheduler);
        assertThat(scannable.scan(Scannable.Attr.BUFFERED)).as("Attr.BUFFERED of an idle scheduler").isNotNull()
                .isGreaterThanOrEqualTo(0);
        final CountDownLatch allBlocked = new CountDownLatch(WORKERS);
        final CountDownLatch release = new CountDownLatch(1);
        releases.add(release::countDown);
        for (int i = 0; i < WORKERS; i++) {
            scheduler.schedule(() -> {
                allBlocked.countDown();
                awaitIgnoringInterrupts(release);
            });
        }
        await(allBlocked, "one blocking task on each of the " + WORKERS + " threads");
        final int queued = 20;
        final CountDownLatch ran = new CountDownLatch(queued);
        for (int i = 0; i < queued; i++) {
            scheduler.schedule(ran::countDown);
        }
        assertThat(scannable.scan(Scannable.Attr.BUFFERED)).as("Attr.BUFFERED with %d tasks queued behind a blocked pool", queued)
                .isGreaterThan(0);
        release.countDown();
        await(ran, "the queued tasks once the pool is released");
        if (isSpindle()) {
            // Spindle counts queued tasks; Reactor's parallel scheduler reports its thread count here.
            awaitCondition(() -> Integer.valueOf(0).equals(scannable.scan(Scannable.Attr.BUFFERED)), PROMPTLY,
                    () -> "Attr.BUFFERED back to 0 once the queue drained; still " + scannable.scan(Scannable.Attr.BUFFERED));
        }
    }

    /** Spindle-only: the form follows Reactor's {@code parallel(4,"name")}; the peer says {@code parallel}. */
    @Test
    void spindleOnlyToStringNamesTheWorkersAndTheName() {
        assumeSpindle();
        assertThat(scheduler.toString()).isEqualTo("spindle(" + WORKERS + ",\"" + name() + "\")");
        assertThat(Scannable.from(scheduler).scan(Scannable.Attr.NAME)).isEqualTo(scheduler.toString());
    }

    // ---------------------------------------------------------------------------------------
    // 7. The serial Worker

    @Test
    void workerRunsTasksInSubmissionOrder() throws Exception {
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
    void fourProducersOnOneWorkerSeeNoOverlapAndNoReordering() throws Exception {
        assertSerialUnderFourProducers((worker, task) -> worker.schedule(task), "tasks");
    }

    /** Equal delays from one producer come due in the order they were scheduled (reference §1). */
    @Test
    void fourProducersOfEqualDelaysOnOneWorkerSeeNoOverlapAndNoReordering() throws Exception {
        assertSerialUnderFourProducers((worker, task) -> worker.schedule(task, 5, MILLISECONDS), "5 ms delayed tasks");
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
    void periodicAndOrdinaryTasksOfOneWorkerNeverOverlap() throws Exception {
        final Scheduler.Worker worker = worker();
        final OverlapDetector detector = new OverlapDetector();
        final CountDownLatch ticks = new CountDownLatch(50);
        track(worker.schedulePeriodically(detector.task(MICROSECONDS.toNanos(200), ticks::countDown), 0, 1, MILLISECONDS));
        final int tasksPerProducer = 2_000;
        final CountDownLatch done = new CountDownLatch(2 * tasksPerProducer);
        final CyclicBarrier start = new CyclicBarrier(2);
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            producers.add(startThread(() -> {
                awaitBarrier(start);
                for (int i = 0; i < tasksPerProducer; i++) {
                    worker.schedule(detector.task(MICROSECONDS.toNanos(20), done::countDown));
                }
            }));
        }
        await(done, "ordinary tasks from two producers next to a periodic task");
        await(ticks, "50 ticks of the periodic task");
        joinAll(producers);
        assertThat(detector.overlaps()).as("runs of one worker's tasks that overlapped another (periodic or not)").isZero();
    }

    @Test
    void intervalEmitsTwoHundredTicksInOrder() {
        StepVerifier.create(Flux.interval(Duration.ofMillis(1), scheduler).take(200))
                .expectNextSequence(LongStream.range(0, 200).boxed().toList())
                .expectComplete()
                .verify(PROMPTLY);
    }

    // ---------------------------------------------------------------------------------------
    // 10. Memory

    @Test
    void aMillionWorkerTasksRunQuicklyWithBoundedHeap() throws Exception {
        final Scheduler.Worker worker = worker();
        final int tasks = 1_000_000;
        final long baseline = usedHeapAfterGc();
        final CountDownLatch done = new CountDownLatch(tasks);
        final long start = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            worker.schedule(done::countDown);
        }
        await(done, Duration.ofSeconds(10), () -> tasks + " worker tasks");
        final double millis = millisSince(start);
        final long growth = usedHeapAfterGc() - baseline;
        assertThat(millis).as("milliseconds to schedule and run %d worker tasks", tasks).isLessThan(10_000.0);
        assertThat(growth).as("bytes of heap still in use after %d worker tasks ran (%.0f ms)", tasks, millis)
                .isLessThan(20L << 20);
    }

    @Test
    void cancelledDelayedAndPeriodicTasksReleaseTheirMemory() throws Exception {
        final Scheduler.Worker worker = worker();
        final int tasks = 100_000;
        final long baseline = usedHeapAfterGc();
        List<Disposable> handles = new ArrayList<>(tasks);
        for (int i = 0; i < tasks / 4; i++) {
            handles.add(scheduler.schedule(NOOP, 1, HOURS));
            handles.add(worker.schedule(NOOP, 1, HOURS));
            handles.add(scheduler.schedulePeriodically(NOOP, 1, 1, HOURS));
            handles.add(worker.schedulePeriodically(NOOP, 1, 1, HOURS));
        }
        final long loaded = usedHeapAfterGc() - baseline;
        pendingTimers().ifPresent(pending -> assertThat(pending).as("pending timers with %d tasks due in an hour", tasks)
                .isGreaterThanOrEqualTo(tasks));
        handles.forEach(Disposable::dispose);
        handles = null;
        awaitNoPendingTimers("cancelling");
        final long left = usedHeapAfterGc() - baseline;
        // 100,000 pending tasks hold about 13.5 MB on every scheduler under test.
        assertThat(left).as("bytes of heap still in use after %d delayed and periodic tasks were cancelled (%d while pending)",
                tasks, loaded).isLessThan(3L << 20);
    }

    @Test
    void disposingAWorkerReleasesItsDelayedTasks() throws Exception {
        final int tasks = 50_000;
        final long baseline = usedHeapAfterGc();
        Scheduler.Worker worker = scheduler.createWorker();
        for (int i = 0; i < tasks; i++) {
            worker.schedule(NOOP, 1, HOURS);
        }
        worker.schedulePeriodically(NOOP, 1, 1, HOURS);
        final long loaded = usedHeapAfterGc() - baseline;
        worker.dispose();
        worker = null;
        awaitNoPendingTimers("worker.dispose()");
        final long left = usedHeapAfterGc() - baseline;
        // 50,000 pending tasks hold about 5.5 MB on every scheduler under test, so 2 MB left means most leaked.
        assertThat(left).as("bytes of heap still in use after a worker with %d delayed tasks was disposed (%d while pending)",
                tasks, loaded).isLessThan(2L << 20);
    }

    /** {@code timeout(Duration)} schedules and cancels a timer per item (reactor-core #2845): none may stay behind. */
    @Test
    void aHundredThousandTimeoutsThatNeverFireLeaveNothingBehind() throws Exception {
        final int items = 100_000;
        final long baseline = usedHeapAfterGc();
        final Long count = Flux.range(0, items)
                .timeout(Duration.ofHours(1), scheduler)
                .count()
                .block(PROMPTLY.multipliedBy(3));
        assertThat(count).as("items through timeout(1 h)").isEqualTo(items);
        awaitNoPendingTimers(items + " timeouts");
        final long left = usedHeapAfterGc() - baseline;
        assertThat(left).as("bytes of heap still in use after %d per-item timeouts", items).isLessThan(4L << 20);
    }

    /** {@code subscribeOn} creates and disposes a Worker per subscription: a hundred thousand leave nothing behind. */
    @Test
    void aHundredThousandSubscribeOnWorkersLeaveNothingBehind() throws Exception {
        final int subscriptions = 100_000;
        final long baseline = usedHeapAfterGc();
        final Long count = Flux.range(0, subscriptions)
                .flatMap(i -> Mono.fromCallable(() -> i).subscribeOn(scheduler), 256)
                .count()
                .block(PROMPTLY.multipliedBy(3));
        assertThat(count).as("items through %d subscribeOn workers", subscriptions).isEqualTo(subscriptions);
        final long left = usedHeapAfterGc() - baseline;
        assertThat(left).as("bytes of heap still in use after %d subscribeOn workers", subscriptions).isLessThan(4L << 20);
    }

    // ---------------------------------------------------------------------------------------
    // 11. Context propagation

    @Test
    void threadLocalsFollowTheContextThroughPublishOnSubscribeOnAndPlainTasks() throws Exception {
        ContextRegistry.getInstance().registerThreadLocalAccessor(CONTEXT_KEY, REQUEST);
        Hooks.enableAutomaticContextPropagation();

        final String publishOn = Mono.just(1)
                .publishOn(scheduler)
                .map(item -> REQUEST.get() + " on " + Thread.currentThread().getName())
                .contextWrite(Context.of(CONTEXT_KEY, "publishOn-request"))
                .block(PROMPTLY);
        assertThat(publishOn).as("the ThreadLocal inside map() after publishOn").startsWith("publishOn-request on " + name());

        final String fluxPublishOn = Flux.range(1, 3)
                .publishOn(scheduler)
                .map(item -> REQUEST.get() + " on " + Thread.currentThread().getName())
                .contextWrite(Context.of(CONTEXT_KEY, "flux-request"))
                .blockLast(PROMPTLY);
        assertThat(fluxPublishOn).as("the ThreadLocal inside map() after Flux.publishOn").startsWith("flux-request on " + name());

        final String subscribeOn = Mono.fromCallable(() -> REQUEST.get() + " on " + Thread.currentThread().getName())
                .subscribeOn(scheduler)
                .contextWrite(Context.of(CONTEXT_KEY, "subscribeOn-request"))
                .block(PROMPTLY);
        assertThat(subscribeOn).as("the ThreadLocal inside a source subscribed on the scheduler")
                .startsWith("subscribeOn-request on " + name());

        // Set on the subscribing thread itself: block() captures it into the context.
        REQUEST.set("captured-request");
        try {
            final String captured = Mono.just(1)
                    .publishOn(scheduler)
                    .map(item -> REQUEST.get() + " on " + Thread.currentThread().getName())
                    .block(PROMPTLY);
            assertThat(captured).as("a ThreadLocal set where block() subscribed, inside publishOn")
                    .startsWith("captured-request on " + name());
        } finally {
            REQUEST.remove();
        }
    }

    @Test
    void automaticContextPropagationCarriesThreadLocalsIntoPlainTasksAndNoFurther() throws Exception {
        ContextRegistry.getInstance().registerThreadLocalAccessor(CONTEXT_KEY, REQUEST);
        Hooks.enableAutomaticContextPropagation();
        final Scheduler.Worker worker = worker();
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        final CountDownLatch ran = new CountDownLatch(3);
        REQUEST.set("submitter-request");
        try {
            scheduler.schedule(() -> record(seen, "direct " + REQUEST.get(), ran));
            scheduler.schedule(() -> record(seen, "delayed " + REQUEST.get(), ran), 1, MILLISECONDS);
            worker.schedule(() -> record(seen, "worker " + REQUEST.get(), ran));
        } finally {
            REQUEST.remove();
        }
        await(ran, "three tasks scheduled with a ThreadLocal set");
        assertThat(seen).as("the submitter's ThreadLocal inside each task")
                .containsExactlyInAnyOrder("direct submitter-request", "delayed submitter-request", "worker submitter-request");

        // The value is restored after each task: tasks scheduled without it must not see it.
        final ConcurrentLinkedQueue<String> after = new ConcurrentLinkedQueue<>();
        final CountDownLatch afterRan = new CountDownLatch(4 * WORKERS);
        for (int i = 0; i < 2 * WORKERS; i++) {
            scheduler.schedule(() -> record(after, String.valueOf(REQUEST.get()), afterRan));
            worker.schedule(() -> record(after, String.valueOf(REQUEST.get()), afterRan));
        }
        await(afterRan, "tasks scheduled with no ThreadLocal set");
        assertThat(after).as("the ThreadLocal inside tasks scheduled without it").containsOnly("null");
    }

    // ---------------------------------------------------------------------------------------
    // Helpers

    /** A new worker of the scheduler under test, disposed after the test. */
    protected final Scheduler.Worker worker() {
        final Scheduler.Worker worker = scheduler.createWorker();
        workers.add(worker);
        return worker;
    }

    /** The scheduler under test. */
    protected final Scheduler schedulerUnderTest() {
        return scheduler;
    }

    /** A scheduler from {@link #freshScheduler()}, disposed after the test. */
    private Scheduler fresh() {
        final Scheduler fresh = freshScheduler();
        freshSchedulers.add(fresh);
        return fresh;
    }

    private <D extends Disposable> D track(D disposable) {
        disposables.add(disposable);
        return disposable;
    }

    /** Skips the calling test unless the scheduler is Spindle's. */
    protected final void assumeSpindle() {
        assumeTrue(isSpindle(), "Spindle-only: Reactor's peer legitimately behaves otherwise (see the test's Javadoc)");
    }

    /** Runs a marker task on a fresh worker after {@code delayMillis}, and waits for it. */
    protected final void awaitMarker(long delayMillis, String what) throws InterruptedException {
        final CountDownLatch marker = new CountDownLatch(1);
        worker().schedule(marker::countDown, delayMillis, MILLISECONDS);
        await(marker, what);
    }

    private long reportCount(Throwable error) {
        return handledErrors.stream().filter(reported -> isOrWraps(reported, error)).count();
    }

    private static Runnable lateStartRecorder(AtomicBoolean disposed, ConcurrentLinkedQueue<String> lateStarts, String what) {
        return () -> {
            if (disposed.get()) {
                lateStarts.add(what + " on " + Thread.currentThread().getName());
            }
        };
    }

    private static void assertRejects(Runnable call, String what) {
        assertThatThrownBy(call::run).as("%s after the scheduler was disposed", what).isInstanceOf(RejectedExecutionException.class);
    }

    private void assertDisposeFromAnotherThreadInterrupts(Function<Runnable, Disposable> scheduling, String what) throws Exception {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch never = new CountDownLatch(1);
        releases.add(never::countDown);
        final Disposable handle = scheduling.apply(() -> {
            started.countDown();
            try {
                never.await(PROMPTLY.toNanos(), NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await(started, "the " + what);
        assertThat(handle.isDisposed()).as("isDisposed() of a running %s", what).isFalse();
        handle.dispose();
        assertThat(handle.isDisposed()).as("isDisposed() of a %s disposed while running", what).isTrue();
        await(interrupted, "the interrupt of a running " + what + " disposed from the test thread");
    }

    private void assertSelfDisposeDoesNotInterrupt(Function<Runnable, Disposable> scheduling, String what) throws Exception {
        final AtomicReference<Disposable> self = new AtomicReference<>();
        final CountDownLatch published = new CountDownLatch(1);
        final AtomicReference<String> outcome = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        self.set(scheduling.apply(() -> {
            awaitIgnoringInterrupts(published);
            self.get().dispose();
            final boolean flagged = Thread.currentThread().isInterrupted();
            try {
                Thread.sleep(5);
                outcome.set(flagged ? "interrupt flag set after self-dispose" : "not interrupted");
            } catch (InterruptedException e) {
                outcome.set("sleep after self-dispose was interrupted");
            }
            done.countDown();
        }));
        published.countDown();
        await(done, "the " + what + " that disposes itself");
        assertThat(outcome.get()).as("a %s that disposed its own handle", what).isEqualTo("not interrupted");
        assertThat(self.get().isDisposed()).as("isDisposed() of a %s that disposed itself", what).isTrue();
    }

    @FunctionalInterface
    private interface DelayedScheduling {
        Disposable schedule(Runnable task, long delayMillis);
    }

    private void assertDelays(DelayedScheduling scheduling, String what) throws Exception {
        final List<String> outOfBounds = new ArrayList<>();
        final List<Double> all = new ArrayList<>();
        for (long delay : new long[] {10, 10, 10, 10, 10, 100, 100, 100}) {
            final AtomicLong ranAt = new AtomicLong();
            final CountDownLatch ran = new CountDownLatch(1);
            final long start = System.nanoTime();
            scheduling.schedule(() -> {
                ranAt.set(System.nanoTime());
                ran.countDown();
            }, delay);
            await(ran, what + " task delayed " + delay + " ms");
            final double millis = (ranAt.get() - start) / 1e6;
            all.add(millis);
            if (millis < delay || millis >= delay + 200) {
                outOfBounds.add(String.format("%.2f ms for a %d ms delay", millis, delay));
            }
        }
        assertThat(outOfBounds).as("%s delays outside [delay, delay + 200 ms); all runs (ms): %s", what, all).isEmpty();
    }

    @FunctionalInterface
    private interface PeriodicScheduling {
        void schedule(Runnable task, long periodMillis);
    }

    /**
     * A fixed-rate task is due at {@code initialDelay + k·period}: each run starts no earlier than
     * that. What tells it from a fixed-delay schedule is the gap between one run's end and the
     * next one's start: each run here takes half a period, so at a fixed rate the next run is due
     * half a period after the previous one ended (or at once, when the schedule is catching up
     * after a late run), while a fixed delay never starts a run less than a full period after the
     * previous one ended, however loaded the machine. Most gaps must be well under a period.
     */
    private void assertFixedRate(PeriodicScheduling scheduling) throws Exception {
        final long period = 20;
        final int runs = 20;
        final AtomicReferenceArray<Long> starts = new AtomicReferenceArray<>(runs);
        final AtomicReferenceArray<Long> ends = new AtomicReferenceArray<>(runs);
        final AtomicInteger count = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(runs);
        final long scheduledAt = System.nanoTime();
        scheduling.schedule(() -> {
            final int run = count.getAndIncrement();
            if (run < runs) {
                starts.set(run, System.nanoTime());
                spinFor(MILLISECONDS.toNanos(period) / 2);
                ends.set(run, System.nanoTime());
                done.countDown();
            }
        }, period);
        await(done, runs + " runs of a periodic task");
        final List<Double> gaps = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            final long earliest = MILLISECONDS.toNanos((k + 1) * period) - CLOCK_GRANULARITY_NANOS;
            assertThat(starts.get(k) - scheduledAt).as("nanoseconds from scheduling to run %d (period %d ms)", k, period)
                    .isGreaterThanOrEqualTo(earliest);
            if (k > 0) {
                gaps.add((starts.get(k) - ends.get(k - 1)) / 1e6);
            }
        }
        final long shortGaps = gaps.stream().filter(gap -> gap < period - 3).count();
        assertThat(shortGaps).as("gaps (ms) between a run's end and the next start shorter than %d ms, of %s "
                + "(a fixed-delay schedule has none)", period - 3, gaps).isGreaterThanOrEqualTo(gaps.size() / 2);
    }

    private void assertPeriodicRunsNeverOverlap(java.util.function.Consumer<Runnable> scheduling) throws Exception {
        final OverlapDetector detector = new OverlapDetector();
        final CountDownLatch runs = new CountDownLatch(30);
        // Each run takes three periods: the next ones come due while it runs.
        scheduling.accept(detector.task(MILLISECONDS.toNanos(3), runs::countDown));
        await(runs, "30 runs of a periodic task that outlasts its period");
        assertThat(detector.overlaps()).as("periodic runs that started while the previous one was running").isZero();
    }

    private void assertSurvivesThrowingRun(java.util.function.Consumer<Runnable> scheduling) throws Exception {
        final RuntimeException boom = new RuntimeException("boom from the third run of a periodic task");
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch sixRuns = new CountDownLatch(6);
        scheduling.accept(() -> {
            sixRuns.countDown();
            if (runs.incrementAndGet() == 3) {
                throw boom;
            }
        });
        await(sixRuns, "six runs of a periodic task whose third run throws");
        awaitCondition(() -> reportCount(boom) > 0, PROMPTLY,
                () -> "the periodic task's error at Schedulers.onHandleError; reported so far: " + handledErrors);
        assertThat(reportCount(boom)).as("reports of the third run's error").isEqualTo(1);
    }

    @FunctionalInterface
    private interface WorkerScheduling {
        void schedule(Scheduler.Worker worker, Runnable task);
    }

    private void assertSerialUnderFourProducers(WorkerScheduling scheduling, String what) throws Exception {
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
                    scheduling.schedule(worker, detector.task(STRESS_TASK_NANOS, () -> {
                        if (lastSeen[producer] != sequence - 1) {
                            orderBreaks.incrementAndGet();
                        }
                        lastSeen[producer] = sequence;
                        done.countDown();
                    }));
                }
            }));
        }
        await(done, PROMPTLY.multipliedBy(3), () -> PRODUCERS + " x " + TASKS_PER_PRODUCER + " " + what + " on one worker");
        joinAll(producers);
        assertThat(detector.overlaps()).as("overlapping runs on one worker (%s)", what).isZero();
        assertThat(orderBreaks.get()).as("%s that ran out of their producer's order", what).isZero();
    }

    private static void throwFrom(ConcurrentLinkedQueue<Thread> throwers, RuntimeException error) {
        throwers.add(Thread.currentThread());
        throw error;
    }

    /** Whether {@code reported} is {@code expected} itself or has it among its causes. */
    private static boolean isOrWraps(Throwable reported, Throwable expected) {
        for (Throwable t = reported; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t == expected) {
                return true;
            }
        }
        return false;
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

    /** Runs {@code body} on {@code threads} threads released together, and waits for all of them. */
    private static void runConcurrently(int threads, Runnable body) throws InterruptedException {
        final CyclicBarrier start = new CyclicBarrier(threads);
        final List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(startThread(() -> {
                awaitBarrier(start);
                body.run();
            }));
        }
        joinAll(started);
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await(PROMPTLY.toNanos(), NANOSECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("threads did not start together", e);
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
                fail("thread %s still running after %s", thread.getName(), PROMPTLY);
            }
        }
    }
}
