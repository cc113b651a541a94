package io.spindle.reactor;

import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import reactor.core.scheduler.NonBlocking;

/**
 * Bounded waits and small tools shared by the Reactor scheduler tests (test classes cannot be
 * shared across modules, so this follows core's {@code PoolTestSupport} and the RxJava module's
 * {@code RxTestSupport}): every wait fails with a message saying what was awaited instead of
 * hanging the build. The bounds are generous, because other builds load the machine; they still
 * fail when the behaviour is wrong, since a wrong scheduler never gets there.
 */
final class ReactorTestSupport {

    /** The bound for things that take microseconds when the scheduler works: a task to start, a timer to fire. */
    static final Duration PROMPTLY = Duration.ofSeconds(10);

    private ReactorTestSupport() {}

    /** Awaits {@code latch} for at most {@code timeout}, failing with {@code what} and the count left. */
    static void await(CountDownLatch latch, Duration timeout, Supplier<String> what) throws InterruptedException {
        if (!latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            fail("timed out after %s waiting for %s (latch count still %d)", timeout, what.get(), latch.getCount());
        }
    }

    /** Awaits {@code latch} for at most {@link #PROMPTLY}. */
    static void await(CountDownLatch latch, String what) throws InterruptedException {
        await(latch, PROMPTLY, () -> what);
    }

    /** Polls {@code condition} (every 100 µs to 1 ms) until it holds, failing after {@code timeout} with {@code what}. */
    static void awaitCondition(BooleanSupplier condition, Duration timeout, Supplier<String> what) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long pauseNanos = 100_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after %s waiting for %s", timeout, what.get());
            }
            TimeUnit.NANOSECONDS.sleep(pauseNanos);
            pauseNanos = Math.min(1_000_000, 2 * pauseNanos);
        }
    }

    /** Polls {@code condition} until it holds, failing after {@link #PROMPTLY} with {@code what}. */
    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        awaitCondition(condition, PROMPTLY, () -> what);
    }

    /**
     * Waits for {@code latch} (at most {@link #PROMPTLY}) through any interrupt, and restores the
     * interrupt after: a task that must hold its thread even when its handle is disposed.
     */
    static void awaitIgnoringInterrupts(CountDownLatch latch) {
        final long deadline = System.nanoTime() + PROMPTLY.toNanos();
        boolean interrupted = false;
        while (latch.getCount() > 0 && System.nanoTime() - deadline < 0) {
            try {
                latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the calling thread busy (not sleeping) for {@code nanos}. */
    static void spinFor(long nanos) {
        final long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    /** Milliseconds elapsed since {@code startNanos} (a {@link System#nanoTime()} reading). */
    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /**
     * The heap in use after full collections, in bytes: collects until two readings agree within
     * 256 KiB (at most ten rounds), so that garbage still in flight does not count.
     */
    static long usedHeapAfterGc() throws InterruptedException {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(20);
            final long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 256 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    /**
     * A thread factory like the one {@code Schedulers.newParallel} passes to a {@code Factory}:
     * daemon Reactor {@link NonBlocking} threads named {@code <prefix>-<n>}.
     */
    static ThreadFactory nonBlockingThreads(String prefix) {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new NonBlockingTestThread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A thread that Reactor treats as non-blocking, as its own parallel threads are. */
    private static final class NonBlockingTestThread extends Thread implements NonBlocking {
        NonBlockingTestThread(Runnable target, String name) {
            super(target, name);
        }
    }

    /** Counts tasks that start while another task it made is still running. */
    static final class OverlapDetector {
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger overlaps = new AtomicInteger();

        /** A task that marks itself running for {@code busyNanos}, then runs {@code then}. */
        Runnable task(long busyNanos, Runnable then) {
            return () -> {
                enter();
                spinFor(busyNanos);
                exit();
                then.run();
            };
        }

        /** Marks a task as running; counts an overlap if another one already is. */
        void enter() {
            if (running.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
        }

        /** Marks the task as no longer running. */
        void exit() {
            running.decrementAndGet();
        }

        int overlaps() {
            return overlaps.get();
        }
    }
}
