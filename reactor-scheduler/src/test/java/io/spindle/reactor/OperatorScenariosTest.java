package io.spindle.reactor;

import static io.spindle.reactor.ReactorTestSupport.PROMPTLY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Reactor's operators on the scheduler, end to end with {@link StepVerifier}: each operator that
 * takes a {@code Scheduler} drives it differently (reference.md §4: {@code publishOn} resubmits
 * one Worker task per burst, {@code subscribeOn} creates and disposes a Worker per subscription,
 * {@code runOn} keeps one Worker per rail, {@code delayElements}, {@code timeout} and
 * {@code interval} use delayed and periodic tasks), and each must turn a disposed scheduler's
 * rejection into {@code onError(RejectedExecutionException)} rather than hang. Every scenario
 * runs on Spindle and on Reactor's {@code newParallel}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorScenariosTest {

    private static final int THREADS = 4;

    private Scheduler scheduler;

    static Stream<Named<Supplier<Scheduler>>> schedulers() {
        return Stream.of(
                Named.of("spindle", () -> SpindleScheduler.create("scenario", THREADS)),
                Named.of("newParallel", () -> Schedulers.newParallel("scenario", THREADS)));
    }

    @AfterEach
    void tearDown() {
        if (scheduler != null) {
            scheduler.dispose();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void publishOnDeliversEveryItemInOrderOnTheSchedulersThreads(Supplier<Scheduler> schedulers) {
        scheduler = schedulers.get();
        final ConcurrentLinkedQueue<String> elsewhere = new ConcurrentLinkedQueue<>();
        StepVerifier.create(Flux.range(0, 10_000)
                        .publishOn(scheduler, 32)
                        .doOnNext(item -> recordForeignThread(elsewhere)))
                .expectNextSequence(IntStream.range(0, 10_000).boxed().toList())
                .expectComplete()
                .verify(PROMPTLY);
        assertThat(elsewhere).as("items delivered off the scheduler's threads").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void subscribeOnSubscribesAndRequestsOnTheScheduler(Supplier<Scheduler> schedulers) {
        scheduler = schedulers.get();
        StepVerifier.create(Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(scheduler))
                .assertNext(thread -> assertThat(thread).as("thread the callable ran on").startsWith("scenario-"))
                .expectComplete()
                .verify(PROMPTLY);
        // Requests from the test thread become Worker tasks too (requestOnSeparateThread): the
        // source must see them in order and emit everything exactly once.
        final ConcurrentLinkedQueue<String> elsewhere = new ConcurrentLinkedQueue<>();
        StepVerifier.create(Flux.range(0, 1_000).doOnRequest(n -> recordForeignThread(elsewhere)).subscribeOn(scheduler), 0)
                .thenRequest(1)
                .expectNext(0)
                .thenRequest(9)
                .expectNextSequence(IntStream.range(1, 10).boxed().toList())
                .thenRequest(Long.MAX_VALUE)
                .expectNextSequence(IntStream.range(10, 1_000).boxed().toList())
                .expectComplete()
                .verify(PROMPTLY);
        assertThat(elsewhere).as("requests that reached the source off the scheduler's threads").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void parallelRunOnSequentialProcessesEveryItemOnce(Supplier<Scheduler> schedulers) {
        scheduler = schedulers.get();
        final int items = 100_000;
        final ConcurrentLinkedQueue<String> elsewhere = new ConcurrentLinkedQueue<>();
        StepVerifier.create(Flux.range(1, items)
                        .parallel(THREADS)
                        .runOn(scheduler)
                        .map(item -> {
                            recordForeignThread(elsewhere);
                            return 2L * item;
                        })
                        .sequential()
                        .reduce(Long::sum))
                .expectNext((long) items * (items + 1))
                .expectComplete()
                .verify(PROMPTLY);
        assertThat(elsewhere).as("rail items processed off the scheduler's threads").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void delayElementsDelaysEachItemInOrder(Supplier<Scheduler> schedulers) {
        scheduler = schedulers.get();
        final Duration took = StepVerifier.create(Flux.range(1, 5).delayElements(Duration.ofMillis(20), scheduler))
                .expectNext(1, 2, 3, 4, 5)
                .expectComplete()
                .verify(PROMPTLY);
        assertThat(took).as("five items delayed 20 ms each").isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void timeoutFiresWhenTheSourceIsSilent(Supplier<Scheduler> schedulers) {
        scheduler = schedulers.get();
        final Duration took = StepVerifier.create(Mono.never().timeout(Duration.ofMillis(50), scheduler))
                .expectSubscription()
                .expectError(TimeoutException.class)
                .verify(PROMPTLY);
        assertThat(took).as("time to a 50 ms timeout").isGreaterThanOrEqualTo(Duration.ofMillis(50));
        StepVerifier.create(Flux.concat(Mono.just(1), Mono.never()).timeout(Duration.ofMillis(50), scheduler))
                .expectNext(1)
                .expectError(TimeoutException.class)
                .verify(PROMPTLY);
    }

    /** One timer scheduled and cancelled per item (reactor-core #2845): none may fire. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void timeoutDoesNotFireWhileItemsKeepComing(Supplier<Scheduler> schedulers) {
        scheduler = schedulers.get();
        StepVerifier.create(Flux.range(0, 200)
                        .delayElements(Duration.ofMillis(1), scheduler)
                        .timeout(Duration.ofSeconds(2), scheduler))
                .expectNextSequence(IntStream.range(0, 200).boxed().toList())
                .expectComplete()
                .verify(PROMPTLY);
        StepVerifier.create(Mono.delay(Duration.ofMillis(10), scheduler).timeout(Duration.ofSeconds(2), scheduler))
                .expectNext(0L)
                .expectComplete()
                .verify(PROMPTLY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void intervalTicksInOrderAtItsPeriod(Supplier<Scheduler> schedulers) {
        scheduler = schedulers.get();
        final Duration took = StepVerifier.create(Flux.interval(Duration.ofMillis(30), Duration.ofMillis(10), scheduler).take(10))
                .expectNextSequence(LongStream.range(0, 10).boxed().toList())
                .expectComplete()
                .verify(PROMPTLY);
        assertThat(took).as("ten ticks after 30 ms, 10 ms apart").isGreaterThanOrEqualTo(Duration.ofMillis(120));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void operatorsOnADisposedSchedulerSignalRejectedExecution(Supplier<Scheduler> schedulers) {
        scheduler = schedulers.get();
        scheduler.dispose();
        StepVerifier.create(Flux.range(1, 3).publishOn(scheduler))
                .expectError(RejectedExecutionException.class).verify(PROMPTLY);
        StepVerifier.create(Mono.just(1).publishOn(scheduler))
                .expectError(RejectedExecutionException.class).verify(PROMPTLY);
        StepVerifier.create(Mono.just(1).subscribeOn(scheduler))
                .expectError(RejectedExecutionException.class).verify(PROMPTLY);
        StepVerifier.create(Mono.fromCallable(() -> 1).subscribeOn(scheduler))
                .expectError(RejectedExecutionException.class).verify(PROMPTLY);
        StepVerifier.create(Flux.range(1, 3).subscribeOn(scheduler))
                .expectError(RejectedExecutionException.class).verify(PROMPTLY);
        StepVerifier.create(Flux.range(1, 10).parallel(2).runOn(scheduler).sequential())
                .expectError(RejectedExecutionException.class).verify(PROMPTLY);
        StepVerifier.create(Mono.delay(Duration.ofMillis(1), scheduler))
                .expectError(RejectedExecutionException.class).verify(PROMPTLY);
        StepVerifier.create(Flux.interval(Duration.ofMillis(1), scheduler))
                .expectError(RejectedExecutionException.class).verify(PROMPTLY);
    }

    private static void recordForeignThread(ConcurrentLinkedQueue<String> elsewhere) {
        final String name = Thread.currentThread().getName();
        if (!name.startsWith("scenario-")) {
            elsewhere.add(name);
        }
    }
}
