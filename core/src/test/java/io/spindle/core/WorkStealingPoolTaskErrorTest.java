package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.workerThreads;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DESIGN.md: "A throwing task never kills its worker: the error goes to the configured
 * handler." {@link TaskErrorHandler}: the default hands it to the thread's uncaught-exception
 * handler; a handler that itself throws kills the thread, and the pool starts a replacement that
 * takes over the worker's queues, so no task is lost.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolTaskErrorTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    /** What a handler received. */
    private record Failure(Runnable task, Throwable error, Thread thread) {}

    @Test
    void throwingTasksDoNotKillTheirWorkersAndTheHandlerReceivesTheRunnableAndTheThrowable() throws Exception {
        final int throwers = 100;
        final int overflows = 3;
        final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
        final CountDownLatch handled = new CountDownLatch(throwers + overflows);
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder()
                .name("errors")
                .workers(2)
                .taskErrorHandler((task, error) -> {
                    failures.add(new Failure(task, error, Thread.currentThread()));
                    handled.countDown();
                }));
        final Set<Thread> before = workerThreads(pool);

        final Map<Runnable, RuntimeException> thrownBy = new ConcurrentHashMap<>();
        for (int i = 0; i < throwers; i++) {
            final RuntimeException error = new IllegalStateException("task " + i + " fails");
            final Runnable task = new Runnable() {
                @Override
                public void run() {
                    throw error;
                }
            };
            thrownBy.put(task, error);
            pool.execute(task);
        }
        final Set<Runnable> recursers = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < overflows; i++) {
            final Runnable task = () -> recurse(0);
            recursers.add(task);
            pool.execute(task);
        }
        await(handled, "the handler to see every failure");

        for (Failure failure : failures) {
            assertThat(before).as("thread that ran the handler").contains(failure.thread());
            if (recursers.contains(failure.task())) {
                assertThat(failure.error()).isInstanceOf(StackOverflowError.class);
            } else {
                assertThat(thrownBy).as("the runnable handed to the handler is the one submitted").containsKey(failure.task());
                assertThat(failure.error()).as("the throwable handed to the handler").isSameAs(thrownBy.get(failure.task()));
            }
        }
        assertThat(failures).hasSize(throwers + overflows);

        final CountDownLatch later = new CountDownLatch(1_000);
        final Set<Thread> ranLater = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 1_000; i++) {
            pool.execute(() -> {
                ranLater.add(Thread.currentThread());
                later.countDown();
            });
        }
        await(later, "tasks submitted after the failures");
        assertThat(before).as("the original worker threads still run later tasks").containsAll(ranLater);
        assertThat(workerThreads(pool)).as("worker threads after the failures").isEqualTo(before);
        assertThat(before).allMatch(Thread::isAlive, "alive");
    }

    @Test
    void byDefaultATaskErrorGoesToTheWorkerThreadsUncaughtExceptionHandlerAndTheWorkerLives() throws Exception {
        final ConcurrentLinkedQueue<Failure> reported = new ConcurrentLinkedQueue<>();
        final CountDownLatch reportedLatch = new CountDownLatch(2);
        final PoolTestSupport.RecordingThreadFactory factory = new PoolTestSupport.RecordingThreadFactory("ueh", true, (thread, error) -> {
            reported.add(new Failure(null, error, thread));
            reportedLatch.countDown();
        });
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("default-handler").workers(2).threadFactory(factory));
        final Set<Thread> before = workerThreads(pool);
        final RuntimeException runtime = new IllegalArgumentException("boom");
        pool.execute(() -> {
            throw runtime;
        });
        pool.execute(() -> recurse(0));
        await(reportedLatch, "the uncaught-exception handler to receive both errors");

        assertThat(reported).extracting(Failure::error).anySatisfy(e -> assertThat(e).isSameAs(runtime))
                .anySatisfy(e -> assertThat(e).isInstanceOf(StackOverflowError.class));
        assertThat(reported).extracting(Failure::thread).allSatisfy(t -> assertThat(before).contains(t));
        assertThat(workerThreads(pool)).as("worker threads after the failures").isEqualTo(before);
        assertThat(factory.created()).as("threads made by the factory").hasSize(2);
    }

    /**
     * The handler throws for one "poison" error. That kills the worker's thread (its
     * uncaught-exception handler reports the handler's exception) and the pool must start a
     * replacement from the same factory. The poison task first queues 300 tasks on its own
     * worker (LIFO slot, ring, overflow), which must not be lost with the thread; and tasks
     * submitted afterwards must all run, on threads the pool recognises as its own.
     */
    @Test
    void aTaskErrorHandlerThatThrowsKillsTheThreadAndThePoolReplacesIt() throws Exception {
        final RuntimeException poison = new IllegalStateException("poison");
        final IllegalStateException handlerFailure = new IllegalStateException("the handler fails on poison");
        final ConcurrentLinkedQueue<Failure> deaths = new ConcurrentLinkedQueue<>();
        final CountDownLatch died = new CountDownLatch(1);
        final PoolTestSupport.RecordingThreadFactory factory = new PoolTestSupport.RecordingThreadFactory("replaceable", true, (thread, error) -> {
            deaths.add(new Failure(null, error, thread));
            died.countDown();
        });
        final AtomicInteger otherErrors = new AtomicInteger();
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder()
                .name("replace")
                .workers(2)
                .threadFactory(factory)
                .taskErrorHandler((task, error) -> {
                    if (error == poison) {
                        throw handlerFailure;
                    }
                    otherErrors.incrementAndGet();
                }));
        final Set<Thread> before = workerThreads(pool);

        final int queuedByPoison = 300;
        final CountDownLatch queuedRan = new CountDownLatch(queuedByPoison);
        pool.execute(() -> {
            for (int i = 0; i < queuedByPoison; i++) {
                pool.execute(queuedRan::countDown);
            }
            throw poison;
        });
        await(died, "the poisoned worker thread to die");
        final Failure death = deaths.peek();
        assertThat(death.error()).as("what the dead thread's uncaught-exception handler received").isSameAs(handlerFailure);
        assertThat(before).as("the thread that died was a worker").contains(death.thread());
        death.thread().join(PROMPTLY.toMillis());
        assertThat(death.thread().isAlive()).as("the poisoned thread ended").isFalse();
        assertThat(pool.isWorkerThread(death.thread())).as("isWorkerThread(the dead thread)").isFalse();
        await(queuedRan, "the tasks the poisoned task had queued on its worker");

        final int later = 10_000;
        final CountDownLatch laterRan = new CountDownLatch(later);
        final Set<Thread> ranLater = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < later; i++) {
            pool.execute(() -> {
                ranLater.add(Thread.currentThread());
                laterRan.countDown();
            });
        }
        await(laterRan, "tasks submitted after the worker thread died");

        final Set<Thread> after = workerThreads(pool);
        final List<Thread> created = factory.created();
        assertThat(created).as("threads made by the factory: two workers and one replacement").hasSize(3);
        final Thread replacement = created.get(2);
        final Set<Thread> expected = new HashSet<>(before);
        expected.remove(death.thread());
        expected.add(replacement);
        assertThat(after).as("worker threads after the replacement").isEqualTo(expected);
        assertThat(pool.isWorkerThread(replacement)).as("isWorkerThread(the replacement)").isTrue();
        assertThat(after).containsAll(ranLater);
        assertThat(otherErrors.get()).isZero();
        assertThat(deaths).hasSize(1);
    }

    /**
     * When no replacement thread can be had (the factory returns null, as it may when the
     * process is out of threads), the dead worker is counted out, and the last worker to exit
     * "runs whatever is still left" before the pool terminates. Here the only worker dies, so
     * its own dying thread must run what it had queued: a poisoned task whose error makes the
     * handler throw again, then ten ordinary tasks. Neither the second handler failure nor the
     * first may cost the ten tasks their run or the pool its termination (DESIGN.md: "Every
     * accepted task either runs or is handed back ... none is silently dropped").
     */
    @Test
    void aPoolThatCannotReplaceADeadWorkerStillRunsWhatItHadQueuedAndTerminates() throws Exception {
        final RuntimeException poison = new IllegalStateException("poison");
        final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
        final AtomicInteger threadsMade = new AtomicInteger();
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder()
                .name("irreplaceable")
                .workers(1)
                .threadFactory(runnable -> {
                    if (threadsMade.getAndIncrement() > 0) {
                        return null;
                    }
                    final Thread thread = new Thread(runnable, "irreplaceable-worker");
                    thread.setDaemon(true);
                    thread.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
                    return thread;
                })
                .taskErrorHandler((task, error) -> {
                    throw new IllegalStateException("the handler fails on " + error.getMessage(), error);
                }));
        final int ordinary = 10;
        final CountDownLatch ordinaryRan = new CountDownLatch(ordinary);
        pool.execute(() -> {
            pool.execute(() -> {
                throw poison;
            });
            for (int i = 0; i < ordinary; i++) {
                pool.execute(ordinaryRan::countDown);
            }
            throw poison;
        });
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS))
                .as("terminated after its only worker died irreplaceably: %s; uncaught: %s", PoolTestSupport.describe(pool), uncaught)
                .isTrue();
        assertThat(ordinaryRan.getCount()).as("queued tasks that never ran").isZero();
        assertThat(threadsMade.get()).as("thread factory calls: the worker and one failed replacement").isEqualTo(2);
    }

    /** Real recursion, deep enough to overflow any stack. */
    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
