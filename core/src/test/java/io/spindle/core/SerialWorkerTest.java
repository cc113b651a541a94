package io.spindle.core;

import static io.spindle.core.PoolTestSupport.PROMPTLY;
import static io.spindle.core.PoolTestSupport.await;
import static io.spindle.core.PoolTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SerialWorker} as DESIGN.md ("Reactor and RxJava Workers") and issues #5 and #6 need it:
 * tasks of one worker never overlap and keep each producer's order while the worker migrates
 * between pool threads; a hot worker yields after its budget; delayed tasks go through the
 * mailbox; cancel and dispose free what they should and run nothing they should not; errors and
 * interrupts stay inside the task that caused them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SerialWorkerTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    private static final TaskErrorHandler FAIL_ON_ERROR = (task, error) -> {
        throw new AssertionError("task " + task + " failed", error);
    };

    private WorkStealingPool pool(String name, int workers) {
        return pools.build(WorkStealingPool.builder().name(name).workers(workers));
    }

    /** Counts runs that began while another task of the same worker was still running. */
    private static final class OverlapDetector {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();

        void enter() {
            if (running.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
        }

        void exit() {
            running.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- the serial guarantee

    @Test
    void tasksOfOneWorkerNeverOverlapKeepEachProducersOrderAndMigrateBetweenPoolThreads() throws Exception {
        final WorkStealingPool pool = pool("serial-stress", 2);
        final int producers = 4;
        final int perProducer = 50_000;
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        final OverlapDetector detector = new OverlapDetector();
        // Plain fields, written only by the worker's tasks: the mailbox's own hand-offs must make
        // each task's writes visible to the next, on whichever thread it runs.
        final int[] lastSeen = new int[producers];
        final int[] orderBreaks = new int[1];
        final Set<Thread> threads = new HashSet<>();
        final CountDownLatch done = new CountDownLatch(producers * perProducer);

        // Now and then a task hands a second worker a 1 ms task. Scheduled from a pool thread,
        // that worker lands in the thread's LIFO slot and runs as soon as the drain yields, while
        // the first worker waits in the thread's local queue: the other pool thread, woken for
        // it, steals it. So the first worker keeps moving between the two threads.
        final SerialWorker busy = new SerialWorker(pool, FAIL_ON_ERROR);
        final Runnable spin = () -> {
            final long until = System.nanoTime() + 1_000_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        };

        final CyclicBarrier start = new CyclicBarrier(producers);
        final List<Thread> producerThreads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final int producer = p;
            final Thread thread = new Thread(() -> {
                try {
                    start.await(PROMPTLY.toNanos(), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                for (int i = 1; i <= perProducer; i++) {
                    final int sequence = i;
                    final SerialTask handle = worker.schedule(() -> {
                        detector.enter();
                        if (lastSeen[producer] != sequence - 1) {
                            orderBreaks[0]++;
                        }
                        lastSeen[producer] = sequence;
                        threads.add(Thread.currentThread());
                        if (sequence % 1_000 == 0) {
                            busy.schedule(spin);
                        }
                        detector.exit();
                        done.countDown();
                    });
                    if (handle == SerialWorker.REJECTED) {
                        throw new AssertionError("rejected task " + sequence + " of producer " + producer);
                    }
                }
            }, "producer-" + p);
            producerThreads.add(thread);
            thread.start();
        }
        for (Thread thread : producerThreads) {
            thread.join(PROMPTLY.toMillis() * 3);
        }
        await(done, Duration.ofSeconds(60), () -> producers * perProducer + " tasks on one serial worker; " + PoolTestSupport.describe(pool));

        // The latch's last count-down happens-before this read, and every task's writes
        // happen-before the next task's (the mailbox's guarantee), so a final task sees them all.
        final CountDownLatch read = new CountDownLatch(1);
        final int[][] seen = new int[1][];
        final int[] breaks = new int[1];
        final int[] threadCount = new int[1];
        worker.schedule(() -> {
            seen[0] = lastSeen.clone();
            breaks[0] = orderBreaks[0];
            threadCount[0] = threads.size();
            read.countDown();
        });
        await(read, "the final task");
        System.out.printf("serial stress: %d tasks on %d pool threads, %d budget yields%n",
                producers * perProducer, threadCount[0], pool.metrics().budgetForcedYieldCount(0) + pool.metrics().budgetForcedYieldCount(1));
        assertThat(detector.overlaps.get()).as("overlapping runs").isZero();
        assertThat(breaks[0]).as("per-producer order breaks").isZero();
        assertThat(seen[0]).as("last sequence number seen per producer").containsOnly(perProducer);
        assertThat(threadCount[0]).as("pool threads the worker's tasks ran on").isGreaterThan(1);
    }

    @Test
    void twoHotWorkersOnOnePoolThreadBothMakeProgressBecauseADrainYieldsAfterItsBudget() throws Exception {
        final WorkStealingPool pool = pool("fairness", 1);
        final SerialWorker first = new SerialWorker(pool, FAIL_ON_ERROR);
        final SerialWorker second = new SerialWorker(pool, FAIL_ON_ERROR);
        final AtomicLong firstRuns = new AtomicLong();
        final AtomicLong secondRuns = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        // Each schedules its next task onto itself: without a budget its drain would never end.
        first.schedule(selfScheduling(first, firstRuns, stop));
        second.schedule(selfScheduling(second, secondRuns, stop));

        final long target = 20L * SerialWorker.DRAIN_BUDGET;
        awaitCondition(() -> firstRuns.get() >= target && secondRuns.get() >= target, PROMPTLY,
                () -> "both hot workers to run " + target + " tasks; ran " + firstRuns + " and " + secondRuns);
        stop.set(true);
        assertThat(pool.metrics().budgetForcedYieldCount(0)).as("budget-forced yields").isPositive();
    }

    private static Runnable selfScheduling(SerialWorker worker, AtomicLong runs, AtomicBoolean stop) {
        return new Runnable() {
            @Override
            public void run() {
                runs.incrementAndGet();
                if (!stop.get()) {
                    worker.schedule(this);
                }
            }
        };
    }

    // ---------------------------------------------------------------- delays

    @Test
    void delayedTasksRunThroughTheMailboxAndNeverOverlapWithImmediateOnes() throws Exception {
        final WorkStealingPool pool = pool("delays", 2);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        final OverlapDetector detector = new OverlapDetector();
        final int delayed = 300;
        final int immediate = 20_000;
        final CountDownLatch done = new CountDownLatch(delayed + immediate);
        final Runnable task = () -> {
            detector.enter();
            final long until = System.nanoTime() + 2_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            detector.exit();
            done.countDown();
        };
        final Thread timed = new Thread(() -> {
            for (int i = 0; i < delayed; i++) {
                worker.schedule(task, 1 + i % 30, TimeUnit.MILLISECONDS);
            }
        });
        timed.start();
        for (int i = 0; i < immediate; i++) {
            worker.schedule(task);
        }
        timed.join(PROMPTLY.toMillis());
        await(done, PROMPTLY, () -> "delayed and immediate tasks; " + PoolTestSupport.describe(pool));
        assertThat(detector.overlaps.get()).as("overlapping runs").isZero();
        awaitCondition(() -> pool.metrics().pendingTimers() == 0, PROMPTLY, () -> "the due timers to fire: " + pool.metrics().pendingTimers());
    }

    @Test
    void equalDelaysScheduledFromOneThreadRunInTheOrderTheyWereScheduled() throws Exception {
        final WorkStealingPool pool = pool("equal-delays", 2);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        final int producers = 4;
        final int perProducer = 5_000;
        final OverlapDetector detector = new OverlapDetector();
        final int[] lastSeen = new int[producers];
        final int[] orderBreaks = new int[1];
        final CountDownLatch done = new CountDownLatch(producers * perProducer);
        final CyclicBarrier start = new CyclicBarrier(producers);
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final int producer = p;
            final Thread thread = new Thread(() -> {
                try {
                    start.await(PROMPTLY.toNanos(), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                for (int i = 1; i <= perProducer; i++) {
                    final int sequence = i;
                    worker.schedule(() -> {
                        detector.enter();
                        if (lastSeen[producer] != sequence - 1) {
                            orderBreaks[0]++;
                        }
                        lastSeen[producer] = sequence;
                        detector.exit();
                        done.countDown();
                    }, 3, TimeUnit.MILLISECONDS);
                }
            }, "delayed-producer-" + p);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(PROMPTLY.toMillis());
        }
        await(done, PROMPTLY, () -> producers * perProducer + " tasks with equal delays; " + PoolTestSupport.describe(pool));
        final CountDownLatch read = new CountDownLatch(1);
        final int[] breaks = new int[1];
        worker.schedule(() -> {
            breaks[0] = orderBreaks[0];
            read.countDown();
        });
        await(read, "the final task");
        assertThat(detector.overlaps.get()).as("overlapping runs").isZero();
        assertThat(breaks[0]).as("per-producer order breaks among equal delays").isZero();
        // A timer whose task an earlier-due timer moved into the mailbox fires a moment later.
        awaitCondition(() -> pool.metrics().pendingTimers() == 0, PROMPTLY, () -> "the due timers to fire: " + pool.metrics().pendingTimers());
    }

    @Test
    void aDelayedTaskRunsNoEarlierThanItsDelayAndANonPositiveDelayIsNoDelay() throws Exception {
        final WorkStealingPool pool = pool("delay-order", 2);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(5);
        final long start = System.nanoTime();
        final AtomicLong delayedRanAfter = new AtomicLong();
        worker.schedule(() -> {
            awaitQuietly(gate);
            order.add("a");
            done.countDown();
        });
        worker.schedule(() -> {
            delayedRanAfter.set(System.nanoTime() - start);
            order.add("delayed");
            done.countDown();
        }, 100, TimeUnit.MILLISECONDS);
        worker.schedule(() -> {
            order.add("b");
            done.countDown();
        }, 0, TimeUnit.MILLISECONDS);
        worker.schedule(() -> {
            order.add("c");
            done.countDown();
        }, -5, TimeUnit.DAYS);
        worker.schedule(() -> {
            order.add("d");
            done.countDown();
        });
        assertThat(pool.metrics().pendingTimers()).as("timers: only the 100 ms one").isEqualTo(1);
        gate.countDown();
        await(done, "the five tasks");
        assertThat(order).containsExactly("a", "b", "c", "d", "delayed");
        assertThat(delayedRanAfter.get()).as("nanoseconds before the 100 ms task ran").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void cancellingAPendingDelayedTaskFreesItsPoolTimerAtOnceAndTheTaskNeverRuns() throws Exception {
        final WorkStealingPool pool = pool("cancel-delayed", 2);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        final AtomicInteger ran = new AtomicInteger();
        final SerialTask handle = worker.schedule(ran::incrementAndGet, 1, TimeUnit.HOURS);
        final SerialTask another = worker.schedule(ran::incrementAndGet, 10, TimeUnit.SECONDS);
        assertThat(pool.metrics().pendingTimers()).isEqualTo(2);
        assertThat(handle.isDisposed()).isFalse();

        assertThat(handle.cancel(false)).as("cancel of a pending delayed task").isTrue();
        assertThat(pool.metrics().pendingTimers()).as("pending timers right after the cancel").isEqualTo(1);
        assertThat(handle.isDisposed()).isTrue();
        assertThat(handle.cancel(false)).as("a second cancel").isFalse();

        another.dispose();
        assertThat(pool.metrics().pendingTimers()).isZero();
        // Something scheduled afterwards runs, and so would have anything due before it.
        final CountDownLatch after = new CountDownLatch(1);
        worker.schedule(after::countDown, 40, TimeUnit.MILLISECONDS);
        await(after, "a task scheduled after the cancels");
        assertThat(ran.get()).as("cancelled tasks that ran").isZero();
    }

    // ---------------------------------------------------------------- dispose

    @Test
    void disposeDisposesEveryPendingHandleRunsNoneOfThemFreesTheTimersAndRejectsLaterTasks() throws Exception {
        final WorkStealingPool pool = pool("dispose", 2);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger ranAfterDispose = new AtomicInteger();
        final SerialTask blocker = worker.schedule(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        await(started, "the blocking task to start");
        final List<SerialTask> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(worker.schedule(ranAfterDispose::incrementAndGet));
        }
        for (int i = 0; i < 5; i++) {
            pending.add(worker.schedule(ranAfterDispose::incrementAndGet, 1 + i, TimeUnit.SECONDS));
        }
        assertThat(worker.queuedTasks()).as("queued tasks behind the blocked one").isEqualTo(10);
        assertThat(pool.metrics().pendingTimers()).isEqualTo(5);

        worker.dispose();
        worker.dispose();
        assertThat(worker.isDisposed()).isTrue();
        assertThat(pending).allMatch(SerialTask::isDisposed);
        assertThat(pool.metrics().pendingTimers()).as("timers right after dispose()").isZero();
        assertThat(worker.schedule(ranAfterDispose::incrementAndGet)).isSameAs(SerialWorker.REJECTED);
        assertThat(worker.schedule(ranAfterDispose::incrementAndGet, 1, TimeUnit.MILLISECONDS)).isSameAs(SerialWorker.REJECTED);
        final SerialTask offered = new SerialTask(ranAfterDispose::incrementAndGet) { };
        assertThat(worker.offer(offered)).isFalse();
        assertThat(offered.isDisposed()).isTrue();

        release.countDown();
        awaitCondition(() -> blocker.isDisposed() && worker.queuedTasks() == 0, PROMPTLY, () -> "the drain to throw the rest away: " + worker);
        // A sentinel on another worker of the same pool: by the time it runs after the drain,
        // anything the disposed worker would (wrongly) run has had its chance.
        final CountDownLatch sentinel = new CountDownLatch(1);
        new SerialWorker(pool, FAIL_ON_ERROR).schedule(sentinel::countDown, 20, TimeUnit.MILLISECONDS);
        await(sentinel, "a sentinel task");
        assertThat(ranAfterDispose.get()).as("tasks that ran after dispose()").isZero();
    }

    @Test
    void disposeFromInsideARunningTaskStopsTheDrainAfterThatTaskWithoutInterruptingIt() throws Exception {
        final WorkStealingPool pool = pool("dispose-inside", 1);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR, true);
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicBoolean interruptedAfterDispose = new AtomicBoolean(true);
        final AtomicInteger later = new AtomicInteger();
        final CountDownLatch disposer = new CountDownLatch(1);
        worker.schedule(() -> awaitQuietly(gate));
        worker.schedule(() -> {
            worker.dispose();
            interruptedAfterDispose.set(Thread.currentThread().isInterrupted());
            disposer.countDown();
        });
        final List<SerialTask> behind = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            behind.add(worker.schedule(later::incrementAndGet));
        }
        gate.countDown();
        await(disposer, "the disposing task");
        assertThat(interruptedAfterDispose.get()).as("the disposing task was interrupted").isFalse();
        assertThat(behind).allMatch(SerialTask::isDisposed);
        final CountDownLatch sentinel = new CountDownLatch(1);
        pool.execute(sentinel::countDown);
        await(sentinel, "a sentinel task on the one pool thread");
        awaitCondition(() -> worker.queuedTasks() == 0, PROMPTLY, () -> "the drain to throw the rest away: " + worker);
        assertThat(later.get()).as("tasks behind the disposing one that ran").isZero();
    }

    @Test
    void shutdownNowDisposesSerialWorkersInsteadOfReturningThem() throws Exception {
        final WorkStealingPool pool = pool("shutdown-now", 1);
        final SerialWorker running = new SerialWorker(pool, FAIL_ON_ERROR);
        final SerialWorker queued = new SerialWorker(pool, FAIL_ON_ERROR);
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        final AtomicInteger ran = new AtomicInteger();
        running.schedule(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        await(started, "the running task");
        final SerialTask behindRunning = running.schedule(ran::incrementAndGet);
        final SerialTask inQueue = queued.schedule(ran::incrementAndGet);
        final SerialTask delayed = queued.schedule(ran::incrementAndGet, 1, TimeUnit.HOURS);
        final Runnable plain = ran::incrementAndGet;
        pool.execute(plain);

        final List<Runnable> returned = pool.shutdownNow();
        assertThat(returned).containsExactly(plain);
        assertThat(pool.awaitTermination(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(interrupted.get()).as("the running task was interrupted").isTrue();
        assertThat(List.of(behindRunning, inQueue, delayed)).allMatch(SerialTask::isDisposed);
        assertThat(queued.isDisposed()).isTrue();
        assertThat(running.isDisposed()).isTrue();
        assertThat(ran.get()).as("tasks that ran after shutdownNow()").isZero();
        assertThat(queued.schedule(ran::incrementAndGet)).isSameAs(SerialWorker.REJECTED);
    }

    @Test
    void aWorkerOnAShutDownPoolRejectsWithoutThrowingAndStillRunsWhatItAccepted() throws Exception {
        final WorkStealingPool pool = pool("shutdown", 2);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(3);
        worker.schedule(() -> {
            awaitQuietly(gate);
            done.countDown();
        });
        worker.schedule(done::countDown);
        worker.schedule(done::countDown, 10, TimeUnit.MILLISECONDS);
        pool.shutdown();
        assertThat(worker.schedule(done::countDown)).isSameAs(SerialWorker.REJECTED);
        assertThat(worker.schedule(done::countDown, 1, TimeUnit.MILLISECONDS)).isSameAs(SerialWorker.REJECTED);
        assertThat(worker.offer(new SerialTask(done::countDown) { })).isFalse();
        gate.countDown();
        await(done, "the three accepted tasks");
        assertThat(pool.awaitTermination(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void cancelRacingTheRunEitherStopsTheTaskOrFailsNeverBothNeverNeither() throws Exception {
        final WorkStealingPool pool = pool("cancel-race", 2);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        final int tasks = 50_000;
        final AtomicIntegerArray ran = new AtomicIntegerArray(tasks);
        final boolean[] cancelled = new boolean[tasks];
        final SerialTask[] handles = new SerialTask[tasks];
        final AtomicInteger published = new AtomicInteger();
        final Thread canceller = new Thread(() -> {
            for (int i = 0; i < tasks; i++) {
                while (published.get() <= i) {
                    Thread.onSpinWait();
                }
                cancelled[i] = handles[i].cancel(false);
            }
        });
        canceller.start();
        for (int i = 0; i < tasks; i++) {
            final int index = i;
            handles[i] = worker.schedule(() -> ran.incrementAndGet(index));
            published.set(i + 1);
        }
        canceller.join(PROMPTLY.toMillis());
        assertThat(canceller.isAlive()).isFalse();
        final CountDownLatch drained = new CountDownLatch(1);
        worker.schedule(drained::countDown);
        await(drained, "the last task");

        int both = 0;
        int neither = 0;
        int cancels = 0;
        for (int i = 0; i < tasks; i++) {
            final boolean didRun = ran.get(i) == 1;
            assertThat(ran.get(i)).as("runs of task %d", i).isLessThanOrEqualTo(1);
            if (didRun && cancelled[i]) {
                both++;
            } else if (!didRun && !cancelled[i]) {
                neither++;
            }
            if (cancelled[i]) {
                cancels++;
            }
            assertThat(handles[i].isDisposed()).as("handle %d disposed", i).isTrue();
        }
        System.out.printf("cancel racing run: %d tasks, %d cancels won, %d runs won%n", tasks, cancels, tasks - cancels);
        assertThat(both).as("tasks both cancelled and run").isZero();
        assertThat(neither).as("tasks neither cancelled nor run").isZero();
    }

    // ---------------------------------------------------------------- errors

    @Test
    void aThrowingTaskReachesTheErrorHandlerAndTheNextTaskStillRuns() throws Exception {
        final WorkStealingPool pool = pool("errors", 1);
        final ConcurrentLinkedQueue<Object[]> reported = new ConcurrentLinkedQueue<>();
        final SerialWorker worker = new SerialWorker(pool, (task, error) -> reported.add(new Object[] {task, error}));
        final RuntimeException boom = new IllegalStateException("boom");
        final Runnable thrower = () -> {
            throw boom;
        };
        final CountDownLatch next = new CountDownLatch(1);
        worker.schedule(thrower);
        worker.schedule(() -> {
            throw new StackOverflowError("deep");
        });
        worker.schedule(next::countDown);
        await(next, "the task after the throwing ones");
        assertThat(reported).hasSize(2);
        final Object[] first = reported.peek();
        assertThat(first[0]).as("the runnable handed to the handler").isSameAs(thrower);
        assertThat(first[1]).isSameAs(boom);
    }

    @Test
    void aHandlerThatThrowsStopsNeitherTheThreadNorTheMailbox() throws Exception {
        final AtomicInteger uncaught = new AtomicInteger();
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("handler-throws").workers(1)
                .threadFactory(new PoolTestSupport.RecordingThreadFactory("handler-throws", true, (t, e) -> uncaught.incrementAndGet())));
        final SerialWorker worker = new SerialWorker(pool, (task, error) -> {
            throw new IllegalStateException("the handler fails too", error);
        });
        final Set<Thread> before = PoolTestSupport.workerThreads(pool);
        final CountDownLatch next = new CountDownLatch(1);
        final AtomicReference<Thread> ranOn = new AtomicReference<>();
        worker.schedule(() -> {
            throw new IllegalArgumentException("task fails");
        });
        worker.schedule(() -> {
            ranOn.set(Thread.currentThread());
            next.countDown();
        });
        await(next, "the task after the failing one");
        assertThat(uncaught.get()).as("handler failures reported as uncaught").isEqualTo(1);
        assertThat(before).contains(ranOn.get());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    void disposingARunningTaskFromAnotherThreadInterruptsItOnlyIfTheWorkerSaysSoAndTheFlagNeverLeaks() throws Exception {
        final WorkStealingPool pool = pool("interrupts", 1);
        for (boolean interruptOnCancel : new boolean[] {true, false}) {
            final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR, interruptOnCancel);
            final CountDownLatch started = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            final AtomicBoolean interrupted = new AtomicBoolean();
            final SerialTask handle = worker.schedule(() -> {
                started.countDown();
                try {
                    interrupted.set(!release.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            });
            final AtomicBoolean nextSawInterrupt = new AtomicBoolean(true);
            final CountDownLatch next = new CountDownLatch(1);
            worker.schedule(() -> {
                nextSawInterrupt.set(Thread.currentThread().isInterrupted());
                next.countDown();
            });
            await(started, "the running task");
            handle.dispose();
            assertThat(handle.isDisposed()).isTrue();
            assertThat(handle.cancel(false)).as("cancel of a started task").isFalse();
            release.countDown();
            await(next, "the next task");
            assertThat(interrupted.get()).as("interrupted, with interruptOnCancel=" + interruptOnCancel).isEqualTo(interruptOnCancel);
            assertThat(nextSawInterrupt.get()).as("the next task saw the interrupt").isFalse();
        }
    }

    @Test
    void disposingTheWorkerFromAnotherThreadInterruptsItsRunningTask() throws Exception {
        final WorkStealingPool pool = pool("worker-interrupt", 1);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR, true);
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        worker.schedule(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await(started, "the running task");
        worker.dispose();
        await(interrupted, "the running task to be interrupted");
        final AtomicBoolean leaked = new AtomicBoolean(true);
        final CountDownLatch after = new CountDownLatch(1);
        pool.execute(() -> {
            leaked.set(Thread.currentThread().isInterrupted());
            after.countDown();
        });
        await(after, "a pool task after it");
        assertThat(leaked.get()).as("the interrupt leaked into the pool thread's next task").isFalse();
    }

    @Test
    void aTaskDisposingItselfIsNeverInterrupted() throws Exception {
        final WorkStealingPool pool = pool("self-dispose", 1);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR, true);
        final AtomicReference<SerialTask> self = new AtomicReference<>();
        final CountDownLatch published = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean(true);
        final AtomicBoolean disposedWhileRunning = new AtomicBoolean();
        final CountDownLatch done = new CountDownLatch(1);
        self.set(worker.schedule(() -> {
            awaitQuietly(published);
            self.get().dispose();
            disposedWhileRunning.set(self.get().isDisposed());
            interrupted.set(Thread.currentThread().isInterrupted());
            done.countDown();
        }));
        published.countDown();
        await(done, "the self-disposing task");
        assertThat(interrupted.get()).isFalse();
        assertThat(disposedWhileRunning.get()).isTrue();
    }

    // ---------------------------------------------------------------- the handle and arguments

    @Test
    void theHandleExposesTheOriginalRunnableAndIsDisposedOnceFinished() throws Exception {
        final WorkStealingPool pool = pool("handle", 1);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        final CountDownLatch done = new CountDownLatch(1);
        final Runnable runnable = done::countDown;
        final SerialTask handle = worker.schedule(runnable);
        assertThat(handle.task()).isSameAs(runnable);
        await(done, "the task");
        awaitCondition(handle::isDisposed, PROMPTLY, () -> "the finished task to report disposed: " + handle);
        assertThat(handle.cancel(true)).isFalse();
        assertThat(SerialWorker.REJECTED.isDisposed()).isTrue();
    }

    @Test
    void badArgumentsThrowNamingTheArgument() {
        final WorkStealingPool pool = pool("arguments", 1);
        final SerialWorker worker = new SerialWorker(pool, FAIL_ON_ERROR);
        assertThatThrownBy(() -> new SerialWorker(null, FAIL_ON_ERROR)).isInstanceOf(NullPointerException.class).hasMessage("pool");
        assertThatThrownBy(() -> new SerialWorker(pool, null)).isInstanceOf(NullPointerException.class).hasMessage("errorHandler");
        assertThatThrownBy(() -> worker.schedule(null)).isInstanceOf(NullPointerException.class).hasMessage("task");
        assertThatThrownBy(() -> worker.schedule(null, 1, TimeUnit.SECONDS)).isInstanceOf(NullPointerException.class).hasMessage("task");
        assertThatThrownBy(() -> worker.schedule(() -> { }, 1, null)).isInstanceOf(NullPointerException.class).hasMessage("unit");
        assertThatThrownBy(() -> worker.offer(null)).isInstanceOf(NullPointerException.class).hasMessage("task");
        assertThatThrownBy(() -> new SerialTask(null) { }).isInstanceOf(NullPointerException.class).hasMessage("task");
        final SerialTask offered = new SerialTask(() -> { }) { };
        assertThat(worker.offer(offered, 1, TimeUnit.HOURS)).isTrue();
        assertThatThrownBy(() -> worker.offer(offered)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already offered");
        final SerialTask cancelledFirst = new SerialTask(() -> { }) { };
        assertThat(cancelledFirst.cancel(false)).isTrue();
        assertThat(worker.offer(cancelledFirst)).as("a task cancelled before its offer is accepted, as done").isTrue();
        worker.dispose();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out waiting in a task");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting in a task", e);
        }
    }
}
