package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.await;
import static io.spindle.reactor.ReactorTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.core.WorkStealingPool;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.blockhound.BlockHound;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * {@link SpindleBlockHoundIntegration} under a real BlockHound (its own surefire execution and
 * JVM, see the pom): the pool's own waits (idle parking, spin locks under contention, timers,
 * shutdown, termination) raise nothing, while a task that blocks is reported, on threads of the
 * default factory and of a user's plain {@code ThreadFactory} alike. Violations are recorded
 * instead of thrown, so that one in the pool's internals shows up here rather than killing a
 * worker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpindleBlockHoundTest {

    /** "thread name: blocking method", for every blocking call BlockHound caught. */
    private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void installBlockHound() {
        // Only in the pom's "blockhound" execution, which adds the flag; "-Dtest=" selects this
        // class in the default execution too, where it must not install anything.
        Assumptions.assumeTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AllowRedefinitionToAddDeleteMethods"),
                "BlockHound needs -XX:+AllowRedefinitionToAddDeleteMethods: run by the blockhound surefire execution");
        // ServiceLoader brings in Reactor's integration and ours (META-INF/services).
        BlockHound.install(builder -> builder.blockingMethodCallback(
                method -> VIOLATIONS.add(Thread.currentThread().getName() + ": " + method + " at " + callers())));
    }

    /** Where a blocking call came from, for the failure message: the first frames past BlockHound's. */
    private static String callers() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::toStackTraceElement)
                .map(String::valueOf)
                .filter(frame -> !frame.startsWith("reactor.blockhound") && !frame.startsWith("java.") && !frame.startsWith(SpindleBlockHoundTest.class.getName()))
                .limit(4)
                .toList())
                .toString();
    }

    private static List<String> violationsOn(String threadPrefix) {
        return VIOLATIONS.stream().filter(violation -> violation.startsWith(threadPrefix)).toList();
    }

    @Test
    void theIntegrationIsRegisteredForServiceLoader() {
        assertThat(java.util.ServiceLoader.load(reactor.blockhound.integration.BlockHoundIntegration.class).stream()
                .map(provider -> provider.type().getName()))
                .contains(SpindleBlockHoundIntegration.class.getName());
    }

    @Test
    void thePoolsOwnWaitsRaiseNothing() throws Exception {
        final SpindleScheduler scheduler = SpindleScheduler.create("bh-quiet", 2);
        final ExecutorService submitters = Executors.newFixedThreadPool(3);
        try {
            // Idle workers park, wake and park again.
            for (int round = 0; round < 20; round++) {
                final CountDownLatch ran = new CountDownLatch(1);
                scheduler.schedule(ran::countDown);
                await(ran, "round " + round);
                Thread.sleep(2);
            }
            // Contention on the inject queue's and the mailboxes' spin locks, and Worker hops
            // from pool threads (LIFO slots, steals).
            final CountDownLatch contended = new CountDownLatch(3 * 20_000);
            for (int s = 0; s < 3; s++) {
                submitters.execute(() -> {
                    final Scheduler.Worker worker = scheduler.createWorker();
                    for (int i = 0; i < 10_000; i++) {
                        scheduler.schedule(contended::countDown);
                        worker.schedule(() -> scheduler.createWorker().schedule(contended::countDown));
                    }
                });
            }
            await(contended, "60,000 contended tasks");
            // Timers: delayed and periodic, direct and on Workers, and delayed Flux operators.
            final CountDownLatch timed = new CountDownLatch(4);
            scheduler.schedule(timed::countDown, 5, TimeUnit.MILLISECONDS);
            scheduler.createWorker().schedule(timed::countDown, 5, TimeUnit.MILLISECONDS);
            final CountDownLatch ticks = new CountDownLatch(5);
            final Disposable periodic = scheduler.schedulePeriodically(ticks::countDown, 0, 1, TimeUnit.MILLISECONDS);
            Flux.interval(Duration.ofMillis(1), scheduler).take(5).doOnComplete(timed::countDown).subscribe();
            Flux.range(0, 100).delayElements(Duration.ofMillis(1), scheduler).publishOn(scheduler).doOnComplete(timed::countDown).subscribe();
            await(timed, "the timed tasks");
            await(ticks, "the periodic ticks");
            periodic.dispose();
            // Dispose of a running task from another thread: the interrupt handshake.
            final CountDownLatch spinning = new CountDownLatch(1);
            final Disposable interrupted = scheduler.schedule(() -> {
                spinning.countDown();
                while (!Thread.currentThread().isInterrupted()) {
                    // Busy, without onSpinWait(), which BlockHound counts as blocking.
                    Thread.currentThread().getPriority();
                }
            });
            await(spinning, "the spinning task");
            interrupted.dispose();
            // Graceful shutdown and termination, with a delayed task still pending.
            scheduler.schedule(() -> { }, 20, TimeUnit.MILLISECONDS);
            scheduler.disposeGracefully().block(Duration.ofSeconds(30));
            assertThat(scheduler.pool().isTerminated()).isTrue();
        } finally {
            submitters.shutdownNow();
            scheduler.dispose();
        }
        final SpindleScheduler forced = SpindleScheduler.create("bh-forced", 2);
        forced.schedule(() -> { }, 1, TimeUnit.HOURS);
        forced.dispose();
        assertThat(forced.pool().awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(violationsOn("bh-quiet")).isEmpty();
        assertThat(violationsOn("bh-forced")).isEmpty();
    }

    @Test
    void aBlockingCallInATaskIsReported() throws InterruptedException {
        final SpindleScheduler scheduler = SpindleScheduler.create("bh-sleepy", 1);
        try {
            final CountDownLatch slept = new CountDownLatch(2);
            scheduler.schedule(() -> {
                sleep();
                slept.countDown();
            });
            scheduler.createWorker().schedule(() -> {
                sleep();
                slept.countDown();
            }, 1, TimeUnit.MILLISECONDS);
            await(slept, "the sleeping tasks");
            awaitCondition(() -> violationsOn("bh-sleepy").size() >= 2, "two reported sleeps");
            assertThat(violationsOn("bh-sleepy")).allSatisfy(violation -> assertThat(violation).contains("java.lang.Thread.sleep"));
        } finally {
            scheduler.dispose();
        }
    }

    @Test
    void threadsOfAUsersPlainThreadFactoryAreWatchedToo() throws InterruptedException {
        final WorkStealingPool pool = WorkStealingPool.builder().name("bh-plain").workers(2)
                .threadFactory(runnable -> {
                    final Thread thread = new Thread(runnable, "bh-plain-thread");
                    thread.setDaemon(true);
                    return thread;
                })
                .build();
        final SpindleScheduler scheduler = SpindleScheduler.wrap(pool);
        try {
            for (int round = 0; round < 10; round++) {
                final CountDownLatch ran = new CountDownLatch(1);
                scheduler.schedule(ran::countDown, 1, TimeUnit.MILLISECONDS);
                await(ran, "round " + round);
            }
            assertThat(violationsOn("bh-plain")).as("idle parking and timers").isEmpty();

            final CountDownLatch slept = new CountDownLatch(1);
            scheduler.schedule(() -> {
                sleep();
                slept.countDown();
            });
            await(slept, "the sleeping task");
            awaitCondition(() -> !violationsOn("bh-plain").isEmpty(), "the reported sleep");
            assertThat(violationsOn("bh-plain")).singleElement().asString().contains("java.lang.Thread.sleep");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
