package io.spindle.examples;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.spindle.core.WorkStealingPool;
import io.spindle.reactor.SpindleScheduler;
import io.spindle.rxjava.SpindleRxScheduler;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;

/**
 * RxJava on Spindle, and one pool shared by RxJava and Reactor. Run it with
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=io.spindle.examples.RxJavaExample}.
 *
 * <p>First, {@link SpindleRxScheduler#installAsComputation()} makes
 * {@code Schedulers.computation()} a Spindle scheduler, and {@code observeOn},
 * {@code subscribeOn} and {@code parallel().runOn()} run on it; it is uninstalled at the end
 * (in a {@code finally}), which shuts its pool down. Then one {@link WorkStealingPool} backs a
 * Reactor scheduler ({@link SpindleScheduler#wrap}) and an RxJava scheduler
 * ({@link SpindleRxScheduler#wrap}) at once, including a pipeline with a Reactor stage and an
 * RxJava stage: one set of threads for an application that uses both libraries. Every step
 * records the threads it ran on, and the program prints them.
 *
 * <p>Not for concurrent use: {@link #run} installs and removes RxJava's JVM-wide computation
 * handler, so two runs at once, or a run while other code relies on {@code computation()}, would
 * see each other's scheduler.
 */
public final class RxJavaExample {

    /** Items through {@code observeOn}. */
    static final int OBSERVED_ITEMS = 1_000;
    /** Items through {@code parallel().runOn()}, whose squares are summed. */
    static final int PARALLEL_ITEMS = 10_000;
    /** Rails of {@code parallel()}. */
    static final int RAILS = 4;
    /** Threads of the pool shared by Reactor and RxJava, and its name. */
    static final int SHARED_WORKERS = 2;
    static final String SHARED_POOL = "shared";

    private RxJavaExample() {}

    /**
     * What ran where.
     *
     * @param computation {@code Schedulers.computation().toString()} while Spindle was installed
     * @param observeOnThreads the threads {@code observeOn(computation())} delivered on
     * @param observedItems the items that arrived after {@code observeOn}
     * @param subscribeOnThread the thread {@code subscribeOn(computation())} subscribed on
     * @param parallelThreads the threads the rails of {@code parallel().runOn(computation())} ran on
     * @param sumOfSquares the sum of the squares of 1..{@value #PARALLEL_ITEMS}, computed on the rails
     * @param computationAfterUninstall {@code Schedulers.computation().toString()} after uninstalling
     * @param sharedPoolThreads the shared pool's threads that ran the Reactor or the RxJava steps
     * @param reactorThreads the threads Reactor's {@code publishOn(SpindleScheduler.wrap(pool))} ran on,
     *     alone and in the mixed pipeline
     * @param rxThreads the threads RxJava's {@code observeOn(SpindleRxScheduler.wrap(pool))} ran on,
     *     alone and in the mixed pipeline
     * @param mixedPipeline the items of a Reactor-then-RxJava pipeline on the shared pool,
     *     each tagged with the two threads it passed through
     */
    public record Result(
            String computation,
            Set<String> observeOnThreads,
            long observedItems,
            String subscribeOnThread,
            Set<String> parallelThreads,
            long sumOfSquares,
            String computationAfterUninstall,
            Set<String> sharedPoolThreads,
            Set<String> reactorThreads,
            Set<String> rxThreads,
            Set<String> mixedPipeline) {}

    /**
     * Runs the example and prints what ran where on stdout.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Runs both parts and prints what ran where. Leaves nothing behind: the computation
     * scheduler is uninstalled (even if a step fails) and the shared pool is closed.
     *
     * @param out where the report goes
     * @return what ran where
     * @throws IllegalStateException if {@code RxJavaPlugins.lockdown()} was called (the
     *     computation handler cannot be installed)
     */
    public static Result run(PrintStream out) {
        final String computation;
        final Set<String> observeOnThreads = threads();
        final long observedItems;
        final String subscribeOnThread;
        final Set<String> parallelThreads = threads();
        final long sumOfSquares;
        SpindleRxScheduler.installAsComputation();
        try {
            computation = Schedulers.computation().toString();
            observedItems = Flowable.range(1, OBSERVED_ITEMS)
                    .observeOn(Schedulers.computation())
                    .doOnNext(item -> observeOnThreads.add(currentThread()))
                    .count()
                    .blockingGet();
            subscribeOnThread = Single.fromCallable(RxJavaExample::currentThread)
                    .subscribeOn(Schedulers.computation())
                    .blockingGet();
            sumOfSquares = Flowable.range(1, PARALLEL_ITEMS)
                    .parallel(RAILS)
                    .runOn(Schedulers.computation())
                    .map(item -> {
                        parallelThreads.add(currentThread());
                        return (long) item * item;
                    })
                    .reduce(Long::sum)
                    .blockingSingle();
        } finally {
            SpindleRxScheduler.uninstallComputation();
        }
        final String computationAfterUninstall = Schedulers.computation().toString();

        final Set<String> reactorThreads = threads();
        final Set<String> rxThreads = threads();
        final Set<String> mixedPipeline = new TreeSet<>();
        final Set<String> sharedPoolThreads = threads();
        try (WorkStealingPool pool = WorkStealingPool.builder().name(SHARED_POOL).workers(SHARED_WORKERS).build()) {
            final SpindleScheduler reactor = SpindleScheduler.wrap(pool);
            final SpindleRxScheduler rx = SpindleRxScheduler.wrap(pool);
            Flux.range(1, OBSERVED_ITEMS)
                    .publishOn(reactor)
                    .doOnNext(item -> reactorThreads.add(currentThread()))
                    .blockLast();
            Flowable.range(1, OBSERVED_ITEMS)
                    .observeOn(rx)
                    .doOnNext(item -> rxThreads.add(currentThread()))
                    .blockingSubscribe();
            final Flux<String> reactorStage = Flux.range(1, 3)
                    .publishOn(reactor)
                    .doOnNext(item -> reactorThreads.add(currentThread()))
                    .map(item -> item + " reactor:" + currentThread());
            Flowable.fromPublisher(reactorStage)
                    .observeOn(rx)
                    .doOnNext(item -> rxThreads.add(currentThread()))
                    .map(item -> item + " rxjava:" + currentThread())
                    .blockingSubscribe(mixedPipeline::add);
            sharedPoolThreads.addAll(reactorThreads);
            sharedPoolThreads.addAll(rxThreads);
            reactor.dispose();
            rx.shutdown();
        }

        final Result result = new Result(computation, Set.copyOf(observeOnThreads), observedItems, subscribeOnThread,
                Set.copyOf(parallelThreads), sumOfSquares, computationAfterUninstall, Set.copyOf(sharedPoolThreads),
                Set.copyOf(reactorThreads), Set.copyOf(rxThreads), Set.copyOf(mixedPipeline));
        print(result, out);
        return result;
    }

    private static void print(Result result, PrintStream out) {
        out.println("RxJava's computation() on Spindle: SpindleRxScheduler.installAsComputation()");
        out.println("  Schedulers.computation() = " + result.computation());
        out.printf(Locale.ROOT, "  observeOn(computation()):            %,d items on %s%n",
                result.observedItems(), sorted(result.observeOnThreads()));
        out.println("  subscribeOn(computation()):          subscribed on " + result.subscribeOnThread());
        out.printf(Locale.ROOT, "  parallel(%d).runOn(computation()):    sum of squares 1..%,d = %,d, rails ran on %s%n",
                RAILS, PARALLEL_ITEMS, result.sumOfSquares(), sorted(result.parallelThreads()));
        out.println("  after uninstallComputation():        Schedulers.computation() = " + result.computationAfterUninstall());
        out.println();
        out.printf(Locale.ROOT, "One pool (\"%s\", %d threads) behind Reactor and RxJava%n", SHARED_POOL, SHARED_WORKERS);
        out.println("  Reactor publishOn(SpindleScheduler.wrap(pool)):     " + sorted(result.reactorThreads()));
        out.println("  RxJava observeOn(SpindleRxScheduler.wrap(pool)):    " + sorted(result.rxThreads()));
        out.println("  Flux.publishOn(reactor) -> Flowable.observeOn(rx):");
        for (String item : new TreeSet<>(result.mixedPipeline())) {
            out.println("    " + item);
        }
        out.printf(Locale.ROOT, "  the pool's threads that ran Reactor or RxJava work: %s (it has %d)%n",
                sorted(result.sharedPoolThreads()), SHARED_WORKERS);
        out.flush();
    }

    private static Set<String> threads() {
        return ConcurrentHashMap.newKeySet();
    }

    private static String sorted(Set<String> names) {
        return names.stream().sorted().collect(Collectors.joining(", "));
    }

    private static String currentThread() {
        return Thread.currentThread().getName();
    }
}
