package io.spindle.examples.webflux;

import io.spindle.core.WorkStealingPool;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET /fanout?n=4}: a small fan-out that says where it ran. The request's {@code n}
 * calls each {@code publishOn} the Spindle scheduler bean and compute a little there; the
 * answers are then delayed by a millisecond with {@code delayElement}, whose timer is Reactor's
 * default {@code Schedulers.parallel()} (Spindle too, through the installed factory), and the
 * response is assembled on that timer's thread.
 *
 * <p>Stateless apart from the scheduler, so thread-safe, as WebFlux needs (requests arrive on
 * every event-loop thread at once).
 */
@RestController
public class FanOutController {

    /** The most calls one request may fan out to. */
    public static final int MAX_CALLS = 64;

    private final Scheduler scheduler;

    /**
     * A controller whose calls run on {@code scheduler}.
     *
     * @param scheduler the Spindle scheduler bean
     */
    public FanOutController(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * One call's answer and where it ran.
     *
     * @param index the call's index, 0..n-1
     * @param result what it computed
     * @param thread the thread it ran on
     * @param pool the name of the Spindle pool that thread works for, or null if it is not a
     *     Spindle worker
     */
    public record Call(int index, long result, String thread, String pool) {}

    /**
     * The response.
     *
     * @param calls the calls, by index
     * @param timerThread the thread {@code delayElement}'s default timer ({@code Schedulers.parallel()}) completed on
     * @param timerPool the name of the Spindle pool that thread works for, or null if it is not
     *     a Spindle worker (Reactor's own {@code parallel()})
     * @param scheduler the scheduler bean, as {@code toString()} describes it
     */
    public record FanOut(List<Call> calls, String timerThread, String timerPool, String scheduler) {}

    /**
     * Fans out to {@code n} calls on the scheduler bean.
     *
     * @param n the number of calls, 1..{@value #MAX_CALLS}
     * @return the calls' answers and the threads involved
     * @throws ResponseStatusException 400 Bad Request, naming {@code n}, its value and the range,
     *     if {@code n} is out of range
     */
    @GetMapping("/fanout")
    public Mono<FanOut> fanOut(@RequestParam(name = "n", defaultValue = "4") int n) {
        if (n < 1 || n > MAX_CALLS) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "n must be in 1.." + MAX_CALLS + ", was " + n);
        }
        return Flux.range(0, n)
                .flatMap(index -> Mono.just(index)
                        .publishOn(scheduler)
                        .map(i -> new Call(i, work(i), Thread.currentThread().getName(), currentPool())))
                .collectSortedList(Comparator.comparingInt(Call::index))
                .delayElement(Duration.ofMillis(1))
                .map(calls -> new FanOut(calls, Thread.currentThread().getName(), currentPool(), scheduler.toString()));
    }

    /** The name of the Spindle pool whose worker runs on this thread, or null. */
    private static String currentPool() {
        final WorkStealingPool pool = WorkStealingPool.currentPool();
        return pool == null ? null : pool.name();
    }

    /** A few microseconds of arithmetic. */
    static long work(int seed) {
        long x = seed * 0x9E3779B97F4A7C15L | 1;
        for (int i = 0; i < 1_000; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
