package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.PROMPTLY;
import static io.spindle.reactor.ReactorTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Head-of-line blocking at the level Reactor users meet it (reactor-core #761, #1655, #3954):
 * eight {@code publishOn} streams on a four-thread scheduler, one of whose {@code onNext} blocks
 * for {@link #STUCK}.
 *
 * <p>{@code Schedulers.newParallel(4)} gives each {@code publishOn} a Worker pinned round-robin to
 * one of its four threads for life, so of eight streams subscribed one after the other exactly one
 * other stream shares the stuck stream's thread and waits the whole {@link #STUCK} behind it
 * while three threads idle. The first test shows that, so that the Spindle tests are known to
 * test something. Spindle's Workers are serial mailboxes any pool thread may run, so the seven
 * other streams finish while the stuck one is still stuck, also when they were subscribed from
 * the stuck thread itself just before it blocked (their drains then sit in that thread's local
 * queue or LIFO slot, where only stealing reaches them), and so do {@code Mono.publishOn}
 * tasks, which go to the scheduler directly, without a Worker.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PublishOnHeadOfLineTest {

    /** How long the stuck {@code onNext} holds its thread at most. */
    private static final Duration STUCK = Duration.ofSeconds(2);

    /** How soon Spindle must finish the other streams while one is stuck. */
    private static final Duration PROMPT_DESPITE_STUCK = Duration.ofSeconds(1);

    /** What the pinned stream on the peer must have waited at least: most of {@link #STUCK}. */
    private static final Duration PINNED_WAIT = Duration.ofMillis(1_500);

    private static final int THREADS = 4;
    private static final int STREAMS = 8;
    private static final int ITEMS = 16;

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch stuckStarted = new CountDownLatch(1);
    private final AtomicLong stuckEndedAt = new AtomicLong();
    private final AtomicReference<Thread> stuckThread = new AtomicReference<>();
    private final List<Disposable> subscriptions = Collections.synchronizedList(new ArrayList<>());
    private Scheduler scheduler;

    @AfterEach
    void tearDown() {
        release.countDown();
        subscriptions.forEach(Disposable::dispose);
        if (scheduler != null) {
            scheduler.dispose();
        }
    }

    @Test
    void parallelHoldsUpTheStreamPinnedToTheStuckThreadForTheWholeStall() throws Exception {
        scheduler = Schedulers.newParallel("head-of-line-parallel", THREADS);
        subscribeStuckStream();
        await(stuckStarted, "the stuck stream's first onNext");
        final long start = System.nanoTime();
        final CountDownLatch all = new CountDownLatch(STREAMS - 1);
        final List<Stream> others = subscribeOthers(start, all);
        // Let the stall run its course: the pinned stream can only finish after it.
        await(all, PROMPTLY, () -> "every other stream on the peer, stall included: " + others);
        final long longest = others.stream().mapToLong(Stream::tookNanos).max().orElseThrow();
        final long fast = others.stream().filter(s -> s.tookNanos() < PROMPT_DESPITE_STUCK.toNanos()).count();
        assertThat(longest).as("nanoseconds the slowest other stream took on newParallel(%d): %s", THREADS, others)
                .isGreaterThanOrEqualTo(PINNED_WAIT.toNanos());
        assertThat(fast).as("other streams that finished within %s on newParallel(%d): %s", PROMPT_DESPITE_STUCK, THREADS, others)
                .isEqualTo(STREAMS - 2);
        assertThat(others.stream().filter(s -> s.thread() == stuckThread.get()).count())
                .as("other streams pinned to the stuck thread").isEqualTo(1);
    }

    @Test
    void spindleFinishesEveryOtherStreamWhileOneIsStuck() throws Exception {
        scheduler = SpindleScheduler.create("head-of-line-spindle", THREADS);
        subscribeStuckStream();
        await(stuckStarted, "the stuck stream's first onNext");
        final long start = System.nanoTime();
        final CountDownLatch all = new CountDownLatch(STREAMS - 1);
        final List<Stream> others = subscribeOthers(start, all);
        await(all, PROMPT_DESPITE_STUCK, () -> "the other streams while one is stuck; so far: " + others);
        assertThat(stuckEndedAt.get()).as("stuck onNext ended at (0 while it is stuck)").isZero();
    }

    @Test
    void spindleFinishesStreamsSubscribedFromTheStuckThreadWhileItIsStuck() throws Exception {
        scheduler = SpindleScheduler.create("head-of-line-spindle", THREADS);
        final List<Stream> others = new ArrayList<>();
        final AtomicLong start = new AtomicLong();
        final CountDownLatch all = new CountDownLatch(STREAMS - 1);
        for (int i = 0; i < STREAMS - 1; i++) {
            others.add(new Stream(i + 1, start, all));
        }
        subscriptions.add(Flux.range(0, ITEMS)
                .publishOn(scheduler)
                .doOnNext(item -> {
                    if (item == 0) {
                        start.set(System.nanoTime());
                        others.forEach(stream -> subscriptions.add(stream.subscribe(scheduler)));
                        stuck();
                    }
                })
                .subscribe());
        await(stuckStarted, "the stuck stream's first onNext");
        await(all, PROMPT_DESPITE_STUCK, () -> "streams subscribed from the stuck thread, while it is stuck; so far: " + others);
        assertThat(stuckEndedAt.get()).as("stuck onNext ended at (0 while it is stuck)").isZero();
        for (Stream stream : others) {
            assertThat(stream.thread()).as("thread that finished %s", stream).isNotSameAs(stuckThread.get());
        }
    }

    /** {@code Mono.publishOn} schedules straight on the scheduler, no Worker (reference.md §4): the same from the stuck thread. */
    @Test
    void spindleRunsMonoPublishOnTasksScheduledFromTheStuckThreadWhileItIsStuck() throws Exception {
        scheduler = SpindleScheduler.create("head-of-line-spindle", THREADS);
        final int monos = 4 * STREAMS;
        final CountDownLatch all = new CountDownLatch(monos);
        final ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
        subscriptions.add(Flux.range(0, ITEMS)
                .publishOn(scheduler)
                .doOnNext(item -> {
                    if (item == 0) {
                        for (int i = 0; i < monos; i++) {
                            subscriptions.add(Mono.just(i).publishOn(scheduler).subscribe(value -> {
                                threads.add(Thread.currentThread());
                                all.countDown();
                            }));
                        }
                        stuck();
                    }
                })
                .subscribe());
        await(stuckStarted, "the stuck stream's first onNext");
        await(all, PROMPT_DESPITE_STUCK, () -> "Mono.publishOn tasks scheduled from the stuck thread; " + all.getCount() + " left");
        assertThat(stuckEndedAt.get()).as("stuck onNext ended at (0 while it is stuck)").isZero();
        assertThat(threads).as("threads that ran them").doesNotContain(stuckThread.get());
    }

    private void subscribeStuckStream() {
        subscriptions.add(Flux.range(0, ITEMS)
                .publishOn(scheduler)
                .doOnNext(item -> {
                    if (item == 0) {
                        stuck();
                    }
                })
                .subscribe());
    }

    private List<Stream> subscribeOthers(long start, CountDownLatch done) {
        final List<Stream> others = new ArrayList<>();
        for (int i = 1; i < STREAMS; i++) {
            final Stream stream = new Stream(i, new AtomicLong(start), done);
            others.add(stream);
            subscriptions.add(stream.subscribe(scheduler));
        }
        return others;
    }

    private void stuck() {
        stuckThread.set(Thread.currentThread());
        stuckStarted.countDown();
        try {
            release.await(STUCK.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stuckEndedAt.set(System.nanoTime());
    }

    /** One of the other streams: when it completed, relative to a start time, and on which thread. */
    private static final class Stream {
        private final int index;
        private final AtomicLong start;
        private volatile long tookNanos = -1;
        private volatile Thread thread;
        private final CountDownLatch done;

        Stream(int index, AtomicLong start, CountDownLatch done) {
            this.index = index;
            this.start = start;
            this.done = done;
        }

        Disposable subscribe(Scheduler scheduler) {
            return Flux.range(0, ITEMS).publishOn(scheduler).subscribe(null, error -> {}, () -> {
                thread = Thread.currentThread();
                tookNanos = System.nanoTime() - start.get();
                done.countDown();
            });
        }

        long tookNanos() {
            return tookNanos;
        }

        Thread thread() {
            return thread;
        }

        @Override
        public String toString() {
            return tookNanos < 0 ? "stream " + index + " not done"
                    : String.format("stream %d %.1f ms on %s", index, tookNanos / 1e6, thread.getName());
        }
    }
}
