package io.spindle.rxjava;

import static io.spindle.rxjava.RxTestSupport.PROMPTLY;
import static io.spindle.rxjava.RxTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The head-of-line blocking that motivates Spindle (RxJava #3608, #5561, #7294): a Worker stuck
 * in a long task must not hold up the tasks of other Workers.
 *
 * <p>{@code Schedulers.computation()} pins each Worker to one of its event loops, round-robin, for
 * life, so a Worker created after the stuck one can land on the stuck thread and wait behind it
 * while other threads idle; the first test shows that, so that the second is known to test
 * something. Spindle's Workers are serial mailboxes that any pool thread may run, so every other
 * Worker's task runs while the stuck task is still running.
 *
 * <p>The stuck task waits on a latch (at most {@link #STUCK}); the tests release it themselves
 * once they have seen what they need, and fail with a message if the stuck task gave up first.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeadOfLineTest {

    /** How long the stuck task holds its thread at most. */
    private static final Duration STUCK = Duration.ofSeconds(2);

    /** How soon Spindle must run the other Workers' tasks while one Worker is stuck. */
    private static final Duration PROMPT_DESPITE_STUCK = Duration.ofMillis(500);

    /** Other Workers in the Spindle test: several times the pool's threads. */
    private static final int OTHER_WORKERS = 8;

    private final List<Scheduler.Worker> workers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch stuckStarted = new CountDownLatch(1);
    private final AtomicReference<Thread> stuckThread = new AtomicReference<>();
    private final AtomicLong stuckEndedAt = new AtomicLong();
    private SpindleRxScheduler spindle;

    @AfterEach
    void tearDown() throws InterruptedException {
        release.countDown();
        workers.forEach(Scheduler.Worker::dispose);
        if (spindle != null) {
            spindle.shutdown();
            assertThat(spindle.pool().awaitTermination(5, TimeUnit.SECONDS)).as("the scheduler's pool terminated").isTrue();
        }
    }

    @Test
    void computationHoldsUpAWorkerPinnedToTheStuckThreadUntilTheStuckTaskEnds() throws Exception {
        final Scheduler computation = Schedulers.computation();
        final int loops = computationThreads();
        final Scheduler.Worker stuck = worker(computation);
        stuck.schedule(this::stuckTask);
        await(stuckStarted, "the stuck task");

        // One more Worker than there are loops: round-robin puts exactly one of them on the stuck
        // task's loop.
        final int others = loops + 1;
        final List<Run> runs = new ArrayList<>();
        final CountDownLatch allButOne = new CountDownLatch(others - 1);
        final CountDownLatch all = new CountDownLatch(others);
        for (int i = 0; i < others; i++) {
            final Run run = new Run();
            runs.add(run);
            worker(computation).schedule(() -> {
                run.record();
                allButOne.countDown();
                all.countDown();
            });
        }
        await(allButOne, STUCK.dividedBy(2), () -> "the " + (others - 1) + " Workers on free loops");
        assertThat(stuckEndedAt.get()).as("stuck task ended at (0 while it runs)").isZero();
        final List<Run> waiting = runs.stream().filter(run -> run.startedAt() == 0).toList();
        assertThat(waiting).as("Workers whose task waits behind the stuck task").hasSize(1);

        release.countDown();
        await(all, "the Worker pinned to the stuck loop, after the stuck task ends");
        final Run pinned = waiting.get(0);
        assertThat(pinned.thread()).as("thread of the Worker that waited").isSameAs(stuckThread.get());
        assertThat(pinned.startedAt() - stuckEndedAt.get()).as("nanoseconds from the stuck task's end to the waiting task's start")
                .isGreaterThanOrEqualTo(0);
    }

    @Test
    void spindleRunsEveryOtherWorkersTasksWhileOneWorkerIsStuck() throws Exception {
        spindle = SpindleRxScheduler.create("head-of-line", 2);
        final Scheduler.Worker stuck = worker(spindle);
        final List<Scheduler.Worker> others = new ArrayList<>();
        for (int i = 0; i < 2 * OTHER_WORKERS; i++) {
            others.add(worker(spindle));
        }
        final List<Run> fromStuckThread = new ArrayList<>();
        final CountDownLatch fromStuckThreadDone = new CountDownLatch(OTHER_WORKERS);
        for (int i = 0; i < OTHER_WORKERS; i++) {
            fromStuckThread.add(new Run());
        }
        // The first half of the other Workers get their task from the stuck task itself, just
        // before it blocks: their drains are queued on the stuck thread, where only stealing
        // (of the local queue and of the LIFO slot) can reach them.
        stuck.schedule(() -> {
            for (int i = 0; i < OTHER_WORKERS; i++) {
                final Run run = fromStuckThread.get(i);
                others.get(i).schedule(() -> {
                    run.record();
                    fromStuckThreadDone.countDown();
                });
            }
            stuckTask();
        });
        final long stuckStartSeen = System.nanoTime();
        await(stuckStarted, "the stuck task");
        await(fromStuckThreadDone, PROMPT_DESPITE_STUCK,
                () -> "tasks of other Workers scheduled from the stuck task, while it is stuck; run so far: " + fromStuckThread);
        assertThat(stuckEndedAt.get()).as("stuck task ended at (0 while it runs)").isZero();

        // The second half are scheduled from outside while the Worker is stuck.
        final List<Run> fromOutside = new ArrayList<>();
        final CountDownLatch fromOutsideDone = new CountDownLatch(OTHER_WORKERS);
        for (int i = 0; i < OTHER_WORKERS; i++) {
            final Run run = new Run();
            fromOutside.add(run);
            others.get(OTHER_WORKERS + i).schedule(() -> {
                run.record();
                fromOutsideDone.countDown();
            });
        }
        await(fromOutsideDone, PROMPT_DESPITE_STUCK,
                () -> "tasks of other Workers scheduled from outside while one is stuck; run so far: " + fromOutside);
        assertThat(stuckEndedAt.get()).as("stuck task ended at (0 while it runs); stuck for %s ms so far",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stuckStartSeen)).isZero();
        for (Run run : fromStuckThread) {
            assertThat(run.thread()).as("thread of a task queued by the stuck task").isNotSameAs(stuckThread.get());
        }
    }

    private Scheduler.Worker worker(Scheduler scheduler) {
        final Scheduler.Worker worker = scheduler.createWorker();
        workers.add(worker);
        return worker;
    }

    private void stuckTask() {
        stuckThread.set(Thread.currentThread());
        stuckStarted.countDown();
        try {
            release.await(STUCK.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stuckEndedAt.set(System.nanoTime());
    }

    /** RxJava's rule for the computation loops: {@code rx3.computation-threads} within 1..processors. */
    private static int computationThreads() {
        final int processors = Runtime.getRuntime().availableProcessors();
        final int requested = Integer.getInteger("rx3.computation-threads", 0);
        return requested <= 0 || requested > processors ? processors : requested;
    }

    /** When and where one task ran. */
    private static final class Run {
        private volatile long startedAt;
        private volatile Thread thread;

        void record() {
            thread = Thread.currentThread();
            startedAt = System.nanoTime();
        }

        long startedAt() {
            return startedAt;
        }

        Thread thread() {
            return thread;
        }

        @Override
        public String toString() {
            return thread == null ? "not run" : "ran on " + thread.getName();
        }
    }
}
