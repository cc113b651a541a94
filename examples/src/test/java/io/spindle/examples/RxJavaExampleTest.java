package io.spindle.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RxJavaExampleTest {

    private static final String COMPUTATION_THREAD = "spindle-rx-computation-worker-\\d+";
    private static final String SHARED_THREAD = RxJavaExample.SHARED_POOL + "-worker-[01]";

    @AfterEach
    void resetRxJava() {
        RxJavaPlugins.reset();
    }

    @Test
    @Timeout(60)
    void everyStepRanOnSpindleThreadsAndComputationIsRxJavasOwnAgainAfterwards() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        final RxJavaExample.Result result = RxJavaExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(result.computation()).startsWith("SpindleRxScheduler[owned, running, pool=spindle-rx-computation]");
        assertThat(result.observedItems()).isEqualTo(RxJavaExample.OBSERVED_ITEMS);
        assertThat(result.observeOnThreads()).isNotEmpty().allMatch(name -> name.matches(COMPUTATION_THREAD));
        assertThat(result.subscribeOnThread()).matches(COMPUTATION_THREAD);
        assertThat(result.parallelThreads()).isNotEmpty().allMatch(name -> name.matches(COMPUTATION_THREAD));
        assertThat(result.sumOfSquares())
                .isEqualTo(LongStream.rangeClosed(1, RxJavaExample.PARALLEL_ITEMS).map(i -> i * i).sum());
        assertThat(result.computationAfterUninstall()).doesNotContain("Spindle");

        assertThat(result.reactorThreads()).isNotEmpty().allMatch(name -> name.matches(SHARED_THREAD));
        assertThat(result.rxThreads()).isNotEmpty().allMatch(name -> name.matches(SHARED_THREAD));
        assertThat(result.sharedPoolThreads()).containsAll(result.reactorThreads()).containsAll(result.rxThreads())
                .hasSizeLessThanOrEqualTo(RxJavaExample.SHARED_WORKERS);
        assertThat(result.mixedPipeline()).hasSize(3)
                .allMatch(item -> item.matches("[123] reactor:" + SHARED_THREAD + " rxjava:" + SHARED_THREAD), "one stage per library, both on the shared pool");

        final String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("Schedulers.computation() = SpindleRxScheduler[", "observeOn(computation())",
                "subscribeOn(computation())", "parallel(4).runOn(computation())", "SpindleScheduler.wrap(pool)",
                "SpindleRxScheduler.wrap(pool)", "sum of squares 1..10,000 = 333,383,335,000");
    }

    @Test
    @Timeout(60)
    void nothingIsLeftRunning() {
        RxJavaExample.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Thread.getAllStackTraces().keySet())
                        .filteredOn(Thread::isAlive)
                        .extracting(Thread::getName)
                        .noneMatch(name -> name.startsWith("spindle-rx-computation-") || name.startsWith(RxJavaExample.SHARED_POOL + "-")));
    }
}
