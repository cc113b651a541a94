package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** Every benchmarked executor runs tasks from outside and from its own tasks. */
class ExecutorUnderTestTest {

    private static final int TASKS = 10_000;
    private static final long TIMEOUT_SECONDS = 30;

    /** Exactly the executors the benchmarks run: those on {@link ExecutorState#executor}'s list. */
    static List<String> benchmarkedExecutors() throws NoSuchFieldException {
        return List.of(ExecutorState.class.getField("executor").getAnnotation(Param.class).value());
    }


    @ParameterizedTest(name = "{0}")
    @MethodSource("benchmarkedExecutors")
    void runsTasksSubmittedFromOutside(String name) throws InterruptedException {
        try (ExecutorHandle executor = ExecutorUnderTest.forParam(name).start()) {
            final CountDownLatch done = new CountDownLatch(TASKS);
            for (int i = 0; i < TASKS; i++) {
                executor.execute(done::countDown);
            }
            assertThat(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("%s ran %d of %d tasks", name, TASKS - done.getCount(), TASKS).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benchmarkedExecutors")
    void runsTasksSubmittedFromItsOwnTasks(String name) throws InterruptedException {
        try (ExecutorHandle executor = ExecutorUnderTest.forParam(name).start()) {
            final CountDownLatch done = new CountDownLatch(TASKS);
            executor.execute(() -> {
                for (int i = 0; i < TASKS; i++) {
                    executor.execute(done::countDown);
                }
            });
            assertThat(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("%s ran %d of %d tasks", name, TASKS - done.getCount(), TASKS).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benchmarkedExecutors")
    void runsAChainOfTasksEachSubmittingTheNext(String name) throws InterruptedException {
        try (ExecutorHandle executor = ExecutorUnderTest.forParam(name).start()) {
            final CountDownLatch done = new CountDownLatch(TASKS);
            final Runnable[] link = new Runnable[1];
            link[0] = () -> {
                done.countDown();
                if (done.getCount() > 0) {
                    executor.execute(link[0]);
                }
            };
            executor.execute(link[0]);
            assertThat(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("%s ran %d of %d links", name, TASKS - done.getCount(), TASKS).isTrue();
        }
    }

    @Test
    void everyExecutorIsOnTheParamList() throws NoSuchFieldException {
        assertThat(benchmarkedExecutors())
                .containsExactlyInAnyOrder(Arrays.stream(ExecutorUnderTest.values()).map(ExecutorUnderTest::paramValue).toArray(String[]::new));
    }

    @Test
    void everyParamValueNamesAnExecutor() throws NoSuchFieldException {
        for (String name : benchmarkedExecutors()) {
            assertThat(ExecutorUnderTest.forParam(name).paramValue()).isEqualTo(name);
        }
    }

    @Test
    void anUnknownParamValueIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> ExecutorUnderTest.forParam("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("executor must be one of [spindle, reactorParallel")
                .hasMessageContaining("was nope");
    }
}
