package io.spindle.reactor;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for the adapter's tests (test classes cannot be shared across modules, so this
 * follows core's {@code PoolTestSupport}): every wait fails with a message saying what was
 * awaited instead of hanging the build. The bounds are generous, because other builds load the
 * machine; they still fail when the behaviour is wrong, since a wrong scheduler never gets there.
 */
final class ReactorTestSupport {

    /** The bound for things that take microseconds when the scheduler works: a task to start, a timer to fire. */
    static final Duration PROMPTLY = Duration.ofSeconds(10);

    private ReactorTestSupport() {}

    /** Awaits {@code latch} for at most {@link #PROMPTLY}, failing with {@code what}. */
    static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(PROMPTLY.toNanos(), TimeUnit.NANOSECONDS)) {
            fail("timed out after %s waiting for %s (latch count still %d)", PROMPTLY, what, latch.getCount());
        }
    }

    /** Polls {@code condition} (every 100 µs to 1 ms) until it holds, failing after {@link #PROMPTLY} with {@code what}. */
    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        final long deadline = System.nanoTime() + PROMPTLY.toNanos();
        long pauseNanos = 100_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after %s waiting for %s", PROMPTLY, what);
            }
            TimeUnit.NANOSECONDS.sleep(pauseNanos);
            pauseNanos = Math.min(1_000_000, 2 * pauseNanos);
        }
    }
}
