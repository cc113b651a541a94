package io.spindle.examples;

import java.time.Duration;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A simulated request fan-out service, the demo's workload: each request calls
 * {@value #CALLS_PER_REQUEST} backends at once, each call being
 * {@code Mono.fromCallable(backend).subscribeOn(scheduler).timeout(CALL_TIMEOUT, timer)}, and
 * answers when all of them did. A backend call is a few microseconds of CPU work; a share of
 * them (the slow ratio) also block their thread for {@link #SLOW_CALL}, as a call to a slow
 * dependency or a stray blocking library call would. A call that times out answers with a
 * fallback and is counted. At most {@value #REQUESTS_IN_FLIGHT} requests are in flight at once
 * ({@code flatMap} concurrency), so a request's latency is the time it spent being served, not
 * the time it waited to be let in.
 *
 * <p>Which calls are slow is fixed by the request count and the ratio alone (a seeded random
 * choice), so every scheduler serves exactly the same calls.
 *
 * <p>Not thread-safe: one {@link #run} at a time per instance. Each run is a fresh instance's
 * business; the work itself is spread over the scheduler's threads.
 */
final class FanOutService {

    /** Backend calls per request. */
    static final int CALLS_PER_REQUEST = 4;
    /** Requests served at once: {@code flatMap} concurrency. */
    static final int REQUESTS_IN_FLIGHT = 64;
    /** How long a slow call blocks its thread. */
    static final Duration SLOW_CALL = Duration.ofMillis(50);
    /**
     * Each call's timeout: twenty slow calls, so only a call left waiting for a thread far longer
     * than any call takes reaches it (a {@code ForkJoinPool}'s LIFO worker queues leave some that
     * long while newer calls overtake them).
     */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    /** Xorshift rounds per call: about 2 to 4 µs of CPU on a current x86 core. */
    static final int WORK_ROUNDS = 2_000;
    /** Requests run before the measured ones, with no slow call, so the JIT has compiled the path. */
    static final int WARM_UP_REQUESTS = 1_000;
    /** What a timed-out call answers. */
    private static final long FALLBACK = 0;
    /** The same slow calls for every scheduler and every run. */
    private static final long SLOW_CALL_SEED = 0x5B1D1EL;
    /** How often the progress listener hears how far the run is. */
    private static final long PROGRESS_INTERVAL_MILLIS = 100;

    /** Told how far a run is, every {@value #PROGRESS_INTERVAL_MILLIS} ms, on the thread that called {@link #run}. */
    interface ProgressListener {
        /**
         * Called on the thread that runs the workload, never concurrently.
         *
         * @param completed requests answered so far
         * @param total requests in the run
         * @param elapsedNanos time since the measured requests started
         */
        void progress(int completed, int total, long elapsedNanos);

        /** Ignores progress. */
        ProgressListener NONE = (completed, total, elapsedNanos) -> { };
    }

    private final SchedulerUnderTest scheduler;
    private final int requests;
    private final BitSet slowCalls;
    /** Each request's latency in ns, written once by the thread that completed it, read after the run's future completed. */
    private final long[] latencies;
    private final AtomicInteger completed = new AtomicInteger();
    private final LongAdder timeouts = new LongAdder();

    /**
     * A service on {@code scheduler} that will serve {@code requests} requests.
     *
     * @param scheduler where the calls and their timeouts run
     * @param requests the number of measured requests, {@code >= 1}
     * @param slowRatio the share of calls that block for {@link #SLOW_CALL}, 0..1
     */
    FanOutService(SchedulerUnderTest scheduler, int requests, double slowRatio) {
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be at least 1, was " + requests);
        }
        if (!(slowRatio >= 0 && slowRatio <= 1)) {
            throw new IllegalArgumentException("slowRatio must be in 0..1, was " + slowRatio);
        }
        this.scheduler = scheduler;
        this.requests = requests;
        this.slowCalls = slowCalls(requests * CALLS_PER_REQUEST, slowRatio);
        this.latencies = new long[requests];
    }

    /** The calls, numbered request × {@value #CALLS_PER_REQUEST} + call, that are slow. */
    static BitSet slowCalls(int calls, double ratio) {
        final SplittableRandom random = new SplittableRandom(SLOW_CALL_SEED);
        final BitSet slow = new BitSet(calls);
        for (int call = 0; call < calls; call++) {
            if (random.nextDouble() < ratio) {
                slow.set(call);
            }
        }
        return slow;
    }

    /**
     * Warms up, then serves the measured requests and reports on them.
     *
     * @param progress told how far the run is, on this thread
     * @return what the run measured
     * @throws InterruptedException if interrupted while waiting for the requests
     * @throws IllegalStateException if a request failed (other than by a call's timeout, which
     *     is answered with a fallback), or the run took longer than 30 minutes
     */
    RunResult run(ProgressListener progress) throws InterruptedException {
        final int warmUp = Math.min(WARM_UP_REQUESTS, requests);
        await(Flux.range(0, warmUp).flatMap(r -> request(r, false), REQUESTS_IN_FLIGHT).then().toFuture(),
                ProgressListener.NONE, 0);
        timeouts.reset();
        final PoolCounters before = PoolCounters.of(scheduler.metrics());

        final long start = System.nanoTime();
        final CompletableFuture<Long> served = Flux.range(0, requests)
                .flatMap(r -> request(r, true), REQUESTS_IN_FLIGHT)
                .reduce(0L, Long::sum)
                .toFuture();
        await(served, progress, start);
        final long elapsed = System.nanoTime() - start;

        final PoolCounters after = PoolCounters.of(scheduler.metrics());
        return new RunResult(scheduler.name(), requests, elapsed, LatencySummary.of(latencies), timeouts.sum(),
                after == null ? null : after.minus(before));
    }

    /** Waits for {@code future}, telling {@code progress} every {@value #PROGRESS_INTERVAL_MILLIS} ms and once at the end. */
    private void await(CompletableFuture<?> future, ProgressListener progress, long start) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (true) {
            try {
                future.get(PROGRESS_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                progress.progress(completed.get(), requests, System.nanoTime() - start);
                return;
            } catch (TimeoutException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    future.cancel(true);
                    throw new IllegalStateException(scheduler.name() + ": the requests did not finish within 30 minutes", notYet);
                }
                progress.progress(completed.get(), requests, System.nanoTime() - start);
            } catch (ExecutionException failed) {
                throw new IllegalStateException(scheduler.name() + ": a request failed: " + failed.getCause(), failed.getCause());
            }
        }
    }

    /** One request: {@value #CALLS_PER_REQUEST} calls at once, answered with the sum of their results. */
    private Mono<Long> request(int request, boolean measured) {
        return Mono.defer(() -> {
            final long start = System.nanoTime();
            return Flux.range(request * CALLS_PER_REQUEST, CALLS_PER_REQUEST)
                    .flatMap(call -> call(call, measured && slowCalls.get(call)))
                    .reduce(0L, Long::sum)
                    .doOnNext(sum -> {
                        if (measured) {
                            latencies[request] = System.nanoTime() - start;
                            completed.incrementAndGet();
                        }
                    });
        });
    }

    /** One backend call on the scheduler, with its timeout on the timer. */
    private Mono<Long> call(int call, boolean slow) {
        return Mono.fromCallable(() -> backend(call, slow))
                .subscribeOn(scheduler.calls())
                .timeout(CALL_TIMEOUT, scheduler.timer())
                .onErrorResume(TimeoutException.class, timedOut -> {
                    timeouts.increment();
                    return Mono.just(FALLBACK);
                });
    }

    /**
     * The backend: CPU work, after blocking for {@link #SLOW_CALL} if the call is slow. A
     * blocked call interrupted because its timeout fired and cancelled it gives up at once and
     * keeps the interrupt for its thread's owner, which clears it before the next task (Reactor's
     * schedulers, Spindle's pool and {@code ForkJoinPool} all do).
     */
    private static long backend(int call, boolean slow) {
        if (slow) {
            try {
                Thread.sleep(SLOW_CALL.toMillis());
            } catch (InterruptedException cancelled) {
                Thread.currentThread().interrupt();
                return FALLBACK;
            }
        }
        return work(call);
    }

    /** {@value #WORK_ROUNDS} xorshift rounds: work the JIT cannot skip, since the result is used. */
    static long work(long seed) {
        long x = seed * 0x9E3779B97F4A7C15L | 1;
        for (int i = 0; i < WORK_ROUNDS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
