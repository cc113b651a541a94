package io.spindle.core;

import static io.spindle.core.PoolTestSupport.workerThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The builder validates each setting at once, with messages that name the setting, the value
 * and the accepted range (STYLE.md), and the pool's threads are what the settings say.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkStealingPoolBuilderTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 32768, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void workersOutsideOneTo32767AreRejected(int workers) {
        assertThatThrownBy(() -> WorkStealingPool.builder().workers(workers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers")
                .hasMessageContaining("1..32767")
                .hasMessageContaining(String.valueOf(workers));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 32767})
    void workersInRangeAreAccepted(int workers) {
        assertThatCode(() -> WorkStealingPool.builder().workers(workers)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 100, 131072, -4, 65535})
    void localQueueCapacityThatIsNotAPowerOfTwoIn4To65536IsRejected(int capacity) {
        assertThatThrownBy(() -> WorkStealingPool.builder().localQueueCapacity(capacity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localQueueCapacity")
                .hasMessageContaining("power of two")
                .hasMessageContaining("4..65536")
                .hasMessageContaining(String.valueOf(capacity));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8, 256, 65536})
    void localQueueCapacityPowersOfTwoInRangeAreAccepted(int capacity) {
        assertThatCode(() -> WorkStealingPool.builder().localQueueCapacity(capacity)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void globalQueueIntervalBelowOneIsRejected(int interval) {
        assertThatThrownBy(() -> WorkStealingPool.builder().globalQueueInterval(interval))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("globalQueueInterval")
                .hasMessageContaining(">= 1")
                .hasMessageContaining(String.valueOf(interval));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -1_000_000_000, 1, 999_999, 3_600_000_000_001L, Long.MIN_VALUE})
    void stallThresholdThatIsNegativeOrOutside1msTo1hIsRejected(long nanos) {
        final Duration threshold = Duration.ofNanos(nanos);
        assertThatThrownBy(() -> WorkStealingPool.builder().stallThreshold(threshold))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stallThreshold")
                .hasMessageContaining("0 (off)")
                .hasMessageContaining("1ms..1h")
                .hasMessageContaining(threshold.toString());
    }

    @Test
    void stallThresholdOfZeroOrIn1msTo1hIsAccepted() {
        for (Duration threshold : List.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofHours(1))) {
            assertThatCode(() -> WorkStealingPool.builder().stallThreshold(threshold)).as("%s", threshold).doesNotThrowAnyException();
        }
    }

    @Test
    void stallThresholdAndStallListenerMustBeNonNull() {
        assertThatThrownBy(() -> WorkStealingPool.builder().stallThreshold(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("stallThreshold");
        assertThatThrownBy(() -> WorkStealingPool.builder().stallListener(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("stallListener");
    }

    @Test
    void stallDetectionIsOnByDefaultAndZeroStartsNoMonitorThread() throws Exception {
        final WorkStealingPool on = pools.build(WorkStealingPool.builder().name("watched").workers(1));
        final WorkStealingPool off = pools.build(WorkStealingPool.builder().name("unwatched").workers(1).stallThreshold(Duration.ZERO));
        workerThreads(on);
        workerThreads(off);
        final Set<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
        assertThat(names).contains("watched-monitor").doesNotContain("unwatched-monitor");
    }

    @Test
    void taskDurationHistogramIsOffByDefault() {
        final WorkStealingPool off = pools.build(WorkStealingPool.builder().workers(1));
        final WorkStealingPool on = pools.build(WorkStealingPool.builder().workers(1).taskDurationHistogram(true));
        assertThat(off.metrics().taskDurationHistogramEnabled()).isFalse();
        assertThat(on.metrics().taskDurationHistogramEnabled()).isTrue();
    }

    @Test
    void nameMustBeNonNullAndNotBlank() {
        assertThatThrownBy(() -> WorkStealingPool.builder().name(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> WorkStealingPool.builder().name("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> WorkStealingPool.builder().name(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
    }

    @Test
    void threadFactoryAndTaskErrorHandlerMustBeNonNull() {
        assertThatThrownBy(() -> WorkStealingPool.builder().threadFactory(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("threadFactory");
        assertThatThrownBy(() -> WorkStealingPool.builder().taskErrorHandler(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("taskErrorHandler");
    }

    @Test
    void defaultThreadsAreNamedAfterThePoolAndAreDaemons() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("named").workers(3));
        assertThat(pool.name()).isEqualTo("named");
        assertThat(pool.workerCount()).isEqualTo(3);
        assertThat(pool.metrics().workers()).isEqualTo(3);
        final Set<Thread> threads = workerThreads(pool);
        assertThat(threads).extracting(Thread::getName).containsExactlyInAnyOrder("named-worker-0", "named-worker-1", "named-worker-2");
        assertThat(threads).allMatch(Thread::isDaemon, "daemon");
    }

    @Test
    void daemonFalseGivesNonDaemonThreads() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("user-threads").workers(2).daemon(false));
        assertThat(workerThreads(pool)).noneMatch(Thread::isDaemon, "daemon");
    }

    @Test
    void unnamedPoolsGetDistinctDefaultNames() throws Exception {
        final WorkStealingPool first = pools.build(WorkStealingPool.builder().workers(1));
        final WorkStealingPool second = pools.build(WorkStealingPool.builder().workers(1));
        assertThat(first.name()).matches("spindle-\\d+");
        assertThat(second.name()).matches("spindle-\\d+").isNotEqualTo(first.name());
        assertThat(workerThreads(first)).extracting(Thread::getName).containsExactly(first.name() + "-worker-0");
    }

    @Test
    void defaultPoolHasOneWorkerPerProcessor() {
        final WorkStealingPool pool = pools.add(WorkStealingPool.create());
        assertThat(pool.workerCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    /** The factory's threads are used as they come: its names, its daemon flag (daemon(true) is ignored). */
    @Test
    void aCustomThreadFactoryIsUsedAsGiven() throws Exception {
        final PoolTestSupport.RecordingThreadFactory factory = new PoolTestSupport.RecordingThreadFactory("mine", false, null);
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("custom").workers(3).daemon(true).threadFactory(factory));
        final Set<Thread> threads = workerThreads(pool);
        assertThat(factory.created()).as("threads the factory made").hasSize(3);
        assertThat(threads).containsExactlyInAnyOrderElementsOf(factory.created());
        assertThat(threads).extracting(Thread::getName).containsExactlyInAnyOrder("mine-0", "mine-1", "mine-2");
        assertThat(threads).noneMatch(Thread::isDaemon, "daemon");
    }

    @Test
    void theRunnableGivenToAThreadFactoryNamesItsWorker() {
        final List<String> hints = new ArrayList<>();
        final ThreadFactory factory = runnable -> {
            hints.add(runnable.toString());
            final Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            return thread;
        };
        pools.build(WorkStealingPool.builder().name("hinted").workers(2).threadFactory(factory));
        assertThat(hints).containsExactly("hinted-worker-0", "hinted-worker-1");
    }

    @Test
    void aThreadFactoryReturningNullFailsBuildWithIllegalStateExceptionAndStartsNoThread() {
        final List<Thread> made = new ArrayList<>();
        final ThreadFactory factory = runnable -> {
            if (made.size() == 1) {
                return null;
            }
            final Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            made.add(thread);
            return thread;
        };
        assertThatThrownBy(() -> WorkStealingPool.builder().name("broken").workers(2).threadFactory(factory).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken");
        assertThat(made).as("threads made before the factory returned null").hasSize(1);
        assertThat(made).extracting(Thread::getState).as("never started").containsOnly(Thread.State.NEW);

        assertThatThrownBy(() -> WorkStealingPool.builder().workers(1).threadFactory(runnable -> null).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void settingsAreIndependentOfOneAnotherAndTheLastValueWins() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder()
                .workers(5)
                .workers(2)
                .name("first")
                .name("last")
                .localQueueCapacity(4)
                .globalQueueInterval(1)
                .lifoSlot(false));
        assertThat(pool.workerCount()).isEqualTo(2);
        assertThat(workerThreads(pool).stream().map(Thread::getName).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("last-worker-0", "last-worker-1");
    }
}
