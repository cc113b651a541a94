package io.spindle.rxjava;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for the scheduler tests, copied in spirit from core's {@code PoolTestSupport}
 * (test classes cannot be shared across modules): every wait fails with a message saying what
 * was awaited instead of hanging the build.
 */
final class RxTestSupport {

    /** The bound for things that take microseconds when the scheduler works: a task to start, a timer to fire. */
    static final Duration PROMPTLY = Duration.ofSeconds(10);

    private RxTestSupport() {}

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

    /** Keeps the calling thread busy (not sleeping) for {@code nanos}. */
    static void spinFor(long nanos) {
        final long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    /** Whether {@code reported} is {@code expected} itself or RxJava's wrapper around it (an {@code UndeliverableException}). */
    static boolean isOrWraps(Throwable reported, Throwable expected) {
        for (Throwable t = reported; t != null; t = t.getCause()) {
            if (t == expected) {
                return true;
            }
            if (t.getCause() == t) {
                return false;
            }
        }
        return false;
    }
}
