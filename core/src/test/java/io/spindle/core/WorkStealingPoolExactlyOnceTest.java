package io.spindle.core;

import static io.spindle.core.PoolTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every accepted task runs exactly once, whichever path it takes: the inject queue (from
 * outside), the LIFO slot and the local queue (from inside), overflow splices back into the
 * inject queue, batch submission, and steals between workers.
 *
 * <p>Task ids: {@code 0 .. EXTERNAL-1} are submitted by the external submitters, submitter
 * {@code s} owning {@code s * PER_SUBMITTER ..}. Every {@value #SPAWN_EVERY}th external task
 * spawns {@value #SUBTASKS_PER_SPAWNER} subtasks from inside the pool, one with
 * {@code execute} and {@value #BATCH} with {@code executeAll}, whose ids follow the external
 * ones. Each run increments its id's slot; at the end every slot must be exactly 1, counted
 * after the pool has terminated so that a late duplicate run cannot slip past.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkStealingPoolExactlyOnceTest {

    private static final int SUBMITTERS = 4;
    private static final int PER_SUBMITTER = 1_000_000;
    private static final int EXTERNAL = SUBMITTERS * PER_SUBMITTER;
    private static final int SPAWN_EVERY = 1_000;
    private static final int BATCH = 64;
    private static final int SUBTASKS_PER_SPAWNER = 1 + BATCH;
    private static final int SPAWNERS = EXTERNAL / SPAWN_EVERY;
    private static final int TOTAL = EXTERNAL + SPAWNERS * SUBTASKS_PER_SPAWNER;
    /** A few seconds' work on two cores; only a lost task comes near this. */
    private static final Duration COMPLETION_BOUND = Duration.ofSeconds(90);

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    private final AtomicIntegerArray runs = new AtomicIntegerArray(TOTAL);
    private final LongAdder ran = new LongAdder();
    private final CountDownLatch allRan = new CountDownLatch(TOTAL);
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    @Test
    void everyTaskSubmittedFromOutsideOrFromInsideRunsExactlyOnce() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder()
                .name("exactly-once")
                .workers(4)
                .taskErrorHandler((task, error) -> failures.add(error)));
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
            final int first = s * PER_SUBMITTER;
            final Thread submitter = new Thread(() -> {
                try {
                    start.await();
                    for (int id = first; id < first + PER_SUBMITTER; id++) {
                        pool.execute(task(pool, id));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "submitter-" + s);
            submitter.start();
            submitters.add(submitter);
        }
        start.countDown();
        for (Thread submitter : submitters) {
            submitter.join(COMPLETION_BOUND.toMillis());
            assertThat(submitter.isAlive()).as("%s still submitting after %s", submitter.getName(), COMPLETION_BOUND).isFalse();
        }
        assertThat(failures).as("exceptions from submitters and tasks").isEmpty();

        await(allRan, COMPLETION_BOUND, () -> TOTAL + " tasks to run; " + ran.sum() + " ran; " + pool);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("terminated after shutdown: %s", pool).isTrue();

        assertThat(failures).as("exceptions from tasks").isEmpty();
        assertEveryTaskRanOnce();
        assertThat(ran.sum()).as("task runs counted").isEqualTo(TOTAL);
        assertThat(pool.metrics().totalTasksExecuted()).as("metrics().totalTasksExecuted()").isEqualTo(TOTAL);
    }

    private Runnable task(WorkStealingPool pool, int id) {
        if (id % SPAWN_EVERY != 0) {
            return () -> record(id);
        }
        final int firstSubtask = EXTERNAL + (id / SPAWN_EVERY) * SUBTASKS_PER_SPAWNER;
        return () -> {
            pool.execute(() -> record(firstSubtask));
            final List<Runnable> batch = new ArrayList<>(BATCH);
            for (int i = 1; i <= BATCH; i++) {
                final int subtask = firstSubtask + i;
                batch.add(() -> record(subtask));
            }
            pool.executeAll(batch);
            record(id);
        };
    }

    private void record(int id) {
        runs.incrementAndGet(id);
        ran.increment();
        allRan.countDown();
    }

    private void assertEveryTaskRanOnce() {
        int never = 0;
        int twice = 0;
        final List<String> examples = new ArrayList<>();
        for (int id = 0; id < TOTAL; id++) {
            final int count = runs.get(id);
            if (count != 1) {
                if (count == 0) {
                    never++;
                } else {
                    twice++;
                }
                if (examples.size() < 20) {
                    examples.add("task " + id + (id < EXTERNAL ? " (external)" : " (subtask)") + " ran " + count + " times");
                }
            }
        }
        assertThat(examples).as("%d tasks never ran, %d ran more than once, of %d", never, twice, TOTAL).isEmpty();
    }
}
