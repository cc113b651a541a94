package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrampolineExecutorTest {

    private final TrampolineExecutor executor = new TrampolineExecutor();

    @Test
    void runsATaskOnTheCallingThreadBeforeReturning() {
        final List<Thread> ranOn = new ArrayList<>();
        executor.execute(() -> ranOn.add(Thread.currentThread()));
        assertThat(ranOn).containsExactly(Thread.currentThread());
    }

    @Test
    void aTaskSubmittedFromATaskRunsAfterItReturns() {
        final List<String> events = new ArrayList<>();
        executor.execute(() -> {
            events.add("outer starts");
            executor.execute(() -> events.add("inner"));
            events.add("outer ends");
        });
        assertThat(events).containsExactly("outer starts", "outer ends", "inner");
    }

    @Test
    void aLongChainDoesNotGrowTheStack() {
        final int links = 1_000_000;
        final AtomicInteger ran = new AtomicInteger();
        final int baseDepth = new Throwable().getStackTrace().length;
        final AtomicInteger deepest = new AtomicInteger();
        final Runnable[] link = new Runnable[1];
        link[0] = () -> {
            if (ran.incrementAndGet() % 100_000 == 0) {
                deepest.accumulateAndGet(new Throwable().getStackTrace().length, Math::max);
            }
            if (ran.get() < links) {
                executor.execute(link[0]);
            }
        };
        executor.execute(link[0]);
        assertThat(ran).hasValue(links);
        assertThat(deepest.get() - baseDepth).isLessThan(10);
    }

    @Test
    void aThrowingTaskGoesToTheUncaughtHandlerAndTheQueueKeepsRunning() {
        final Thread thread = Thread.currentThread();
        final Thread.UncaughtExceptionHandler previous = thread.getUncaughtExceptionHandler();
        final List<Throwable> reported = new ArrayList<>();
        thread.setUncaughtExceptionHandler((t, e) -> reported.add(e));
        try {
            final List<String> ran = new ArrayList<>();
            final IllegalStateException boom = new IllegalStateException("boom");
            executor.execute(() -> {
                executor.execute(() -> {
                    throw boom;
                });
                executor.execute(() -> ran.add("after the throwing task"));
            });
            assertThat(reported).containsExactly(boom);
            assertThat(ran).containsExactly("after the throwing task");
        } finally {
            thread.setUncaughtExceptionHandler(previous);
        }
    }
}
