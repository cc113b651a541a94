package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.awaitAllParked;
import static io.spindle.core.PoolTestSupport.awaitCondition;
import static io.spindle.core.PoolTestSupport.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stall detection as the builder documents it: a worker running one task past the threshold is
 * reported once, with the task's stack; its LIFO-slot task is freed; the monitor thread costs
 * nothing while the pool is idle and ends with the pool.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolStallDetectionTest {

    private static final Duration THRESHOLD = Duration.ofMillis(200);

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    private final ConcurrentLinkedQueue<WorkerStall> stalls = new ConcurrentLinkedQueue<>();
    /** When the listener heard of the last stall, in nanoTime. */
    private final AtomicLong reportedAt = new AtomicLong();

    private WorkStealingPool watchedPool(String name, int workers) {
        return pools.build(WorkStealingPool.builder().name(name).workers(workers).stallThreshold(THRESHOLD)
                .stallListener(stall -> {
                    reportedAt.set(System.nanoTime());
                    stalls.add(stall);
                }));
    }

    @Test
    void aTaskSleepingTwoSecondsIsReportedExactlyOnceWithTheSleepInItsStack() throws Exception {
        final WorkStealingPool pool = watchedPool("sleepy", 2);
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Thread> sleeper = new AtomicReference<>();
        final Runnable sleeping = new Runnable() {
            @Override
            public void run() {
                sleeper.set(Thread.currentThread());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            }
        };
        pool.execute(sleeping);
        await(done, "the sleeping task");
        // Once the monitor waits untimed it has looked at the pool after the task ended: no
        // report about it can come any more.
        awaitAllParked(pool);
        final Thread monitor = monitorThread(pool);
        awaitCondition(() -> monitor.getState() == Thread.State.WAITING, PROMPTLY, () -> "the monitor to see the pool idle");

        assertThat(stalls).as("stall reports for one 2 s task").hasSize(1);
        final WorkerStall stall = stalls.peek();
        assertThat(stall.pool()).isEqualTo("sleepy");
        assertThat(stall.thread()).isSameAs(sleeper.get());
        assertThat(stall.task()).isSameAs(sleeping);
        assertThat(stall.duration()).isGreaterThanOrEqualTo(THRESHOLD).isLessThan(Duration.ofSeconds(2));
        assertThat(stall.stackTrace()).anySatisfy(frame -> {
            assertThat(frame.getClassName()).isEqualTo("java.lang.Thread");
            assertThat(frame.getMethodName()).isEqualTo("sleep");
        });
        assertThat(stall.formatStackTrace()).startsWith("\tat ").contains("java.lang.Thread.sleep(");
        final PoolMetrics metrics = pool.metrics();
        assertThat(metrics.stallCount(stall.workerIndex())).isEqualTo(1);
        assertThat(metrics.stallCount(1 - stall.workerIndex())).isZero();
    }

    @Test
    void shortTasksAreNeverReported() throws Exception {
        final WorkStealingPool pool = watchedPool("quick", 2);
        final CountDownLatch done = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            pool.execute(() -> {
                try {
                    Thread.sleep(THRESHOLD.toMillis() / 4);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        await(done, "20 tasks of a quarter threshold each");
        assertThat(stalls).isEmpty();
    }

    /**
     * A task put in the LIFO slot by a task that then blocks runs on the other worker, at the
     * latest 100 ms after the stall is reported (in practice the parked worker's LIFO watcher
     * takes it long before).
     */
    @Test
    void aTaskInTheStalledWorkersLifoSlotRunsElsewhereWithin100msOfTheReport() throws Exception {
        final WorkStealingPool pool = watchedPool("lifo", 2);
        awaitAllParked(pool);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch lifoRan = new CountDownLatch(1);
        final AtomicReference<Thread> blocked = new AtomicReference<>();
        final AtomicReference<Thread> lifoThread = new AtomicReference<>();
        final AtomicLong lifoRanAt = new AtomicLong();
        pool.execute(() -> {
            blocked.set(Thread.currentThread());
            pool.execute(() -> {
                lifoRanAt.set(System.nanoTime());
                lifoThread.set(Thread.currentThread());
                lifoRan.countDown();
            });
            try {
                release.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            await(lifoRan, PROMPTLY, () -> "the LIFO task of the blocked worker\n" + describe(pool));
            awaitCondition(() -> !stalls.isEmpty(), PROMPTLY, () -> "the stall report");
        } finally {
            release.countDown();
        }
        assertThat(lifoThread.get()).isNotSameAs(blocked.get());
        assertThat(Duration.ofNanos(lifoRanAt.get() - reportedAt.get())).isLessThan(Duration.ofMillis(100));
    }

    /**
     * The detector's own rescue, driven by hand with a made-up clock on a pool whose own
     * detection is off: both workers are blocked (so no worker parks to watch LIFO slots and
     * none searches), one with a task in its LIFO slot. The report moves that task to the
     * inject queue, and the other worker runs it as soon as it is free.
     */
    @Test
    void reportingAStallMovesTheLifoTaskToTheInjectQueue() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("rescue").workers(2).stallThreshold(Duration.ZERO));
        final StallDetector detector = new StallDetector(pool, 2, THRESHOLD, stalls::add);
        final CountDownLatch otherRunning = new CountDownLatch(1);
        final CountDownLatch bothRunning = new CountDownLatch(2);
        final CountDownLatch releaseHolder = new CountDownLatch(1);
        final CountDownLatch releaseOther = new CountDownLatch(1);
        final CountDownLatch lifoRan = new CountDownLatch(1);
        final AtomicReference<Thread> holder = new AtomicReference<>();
        final AtomicReference<Thread> other = new AtomicReference<>();
        final AtomicReference<Thread> lifoThread = new AtomicReference<>();
        pool.execute(() -> {
            holder.set(Thread.currentThread());
            // Only once the other worker is blocked too: a parked or searching one would take
            // the LIFO task at once.
            awaitQuietly(otherRunning);
            pool.execute(() -> {
                lifoThread.set(Thread.currentThread());
                lifoRan.countDown();
            });
            bothRunning.countDown();
            awaitQuietly(releaseHolder);
        });
        pool.execute(() -> {
            other.set(Thread.currentThread());
            otherRunning.countDown();
            bothRunning.countDown();
            awaitQuietly(releaseOther);
        });
        try {
            await(bothRunning, "both blocking tasks to start");
            final Worker holderWorker = workerOf(pool, holder.get());
            assertThat(holderWorker.peekLifo()).as("the holder's LIFO slot").isNotNull();

            assertThat(detector.check(0)).isEqualTo(THRESHOLD.toNanos() / StallDetector.LOOKS_PER_THRESHOLD);
            assertThat(stalls).as("reports at the first look").isEmpty();
            detector.check(THRESHOLD.toNanos() - 1);
            assertThat(stalls).as("reports just under the threshold").isEmpty();
            detector.check(THRESHOLD.toNanos());
            assertThat(stalls).as("reports at the threshold").hasSize(2);
            detector.check(2 * THRESHOLD.toNanos());
            assertThat(stalls).as("reports after another threshold").hasSize(2);
            assertThat(detector.stallCount(holderWorker.index)).isEqualTo(1);

            assertThat(holderWorker.peekLifo()).as("the holder's LIFO slot after the report").isNull();
            assertThat(pool.metrics().injectQueueDepth()).isEqualTo(1);
            releaseOther.countDown();
            await(lifoRan, PROMPTLY, () -> "the rescued task\n" + describe(pool));
            assertThat(lifoThread.get()).isSameAs(other.get());
        } finally {
            releaseHolder.countDown();
            releaseOther.countDown();
        }
    }

    @Test
    void theMonitorOfAnIdlePoolWaitsWithoutATimeoutAndWakesForTheNextStall() throws Exception {
        final WorkStealingPool pool = watchedPool("idle", 2);
        final CountDownLatch first = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            pool.execute(first::countDown);
        }
        await(first, "a first burst");
        awaitAllParked(pool);
        final Thread monitor = monitorThread(pool);
        awaitCondition(() -> monitor.getState() == Thread.State.WAITING, PROMPTLY,
                () -> "the monitor to wait untimed; it is " + monitor.getState());
        assertThat(stalls).isEmpty();

        final CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> awaitQuietly(release));
        try {
            awaitCondition(() -> !stalls.isEmpty(), PROMPTLY, () -> "a stall reported by a monitor that was waiting");
        } finally {
            release.countDown();
        }
        awaitAllParked(pool);
        awaitCondition(() -> monitor.getState() == Thread.State.WAITING, PROMPTLY,
                () -> "the monitor to wait untimed again; it is " + monitor.getState());
    }

    @Test
    void theMonitorThreadEndsWhenThePoolTerminates() throws Exception {
        final WorkStealingPool pool = watchedPool("ending", 2);
        final Thread monitor = monitorThread(pool);
        assertThat(monitor.isDaemon()).isTrue();
        pool.shutdown();
        assertThat(pool.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
        monitor.join(PROMPTLY.toMillis());
        assertThat(monitor.isAlive()).isFalse();
    }

    @Test
    void aListenerThatThrowsDoesNotStopDetection() throws Exception {
        final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("throwing").workers(2).stallThreshold(THRESHOLD)
                .stallListener(stall -> {
                    Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
                    stalls.add(stall);
                    throw new IllegalStateException("listener failure " + stalls.size());
                }));
        for (int round = 1; round <= 2; round++) {
            final CountDownLatch release = new CountDownLatch(1);
            pool.execute(() -> awaitQuietly(release));
            final int expected = round;
            try {
                awaitCondition(() -> stalls.size() == expected, PROMPTLY, () -> "stall report " + expected);
            } finally {
                release.countDown();
            }
        }
        // The listener records a stall before it throws, so the second failure may still be on
        // its way to the uncaught-exception handler when the second stall is seen.
        awaitCondition(() -> uncaught.size() == 2, PROMPTLY, () -> "the second listener failure to reach the handler");
        assertThat(uncaught).extracting(Throwable::getMessage).containsExactly("listener failure 1", "listener failure 2");
    }

    @Test
    void theDefaultListenerLogsWithoutThrowing() {
        final Thread thread = Thread.currentThread();
        final WorkerStall stall = new WorkerStall("logged", 0, thread, () -> {}, Duration.ofSeconds(1), List.of(thread.getStackTrace()));
        assertThatCode(() -> StallListener.LOG_WARNING.onStall(stall)).doesNotThrowAnyException();
    }

    static Thread monitorThread(WorkStealingPool pool) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(pool.name() + "-monitor"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no thread named " + pool.name() + "-monitor"));
    }

    private static Worker workerOf(WorkStealingPool pool, Thread thread) {
        for (Worker worker : pool.workers) {
            if (worker.thread == thread) {
                return worker;
            }
        }
        throw new AssertionError(thread + " is not a worker of " + pool);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2 * PROMPTLY.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
