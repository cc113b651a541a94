package io.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.internal.schedulers.NonBlockingThread;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.core.scheduler.Schedulers;

/**
 * The default worker threads carry the non-blocking markers of the reactive libraries on the
 * classpath (both are, in these tests), so that Reactor's {@code block()} and RxJava's
 * {@code blockingX} (with fail-on-non-blocking on) refuse to block a pool thread; the choice of
 * class for the other classpaths is checked by name; a user's thread factory is used as given.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerThreadsTest {

    @RegisterExtension
    final PoolTestSupport.Pools pools = new PoolTestSupport.Pools();

    @Test
    void defaultWorkerThreadsCarryBothMarkersWhenBothLibrariesArePresent() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("marked").workers(2));
        for (Thread thread : PoolTestSupport.workerThreads(pool)) {
            assertThat(thread).isInstanceOf(NonBlocking.class).isInstanceOf(NonBlockingThread.class);
            assertThat(thread.isDaemon()).isTrue();
        }
        assertThat(pool.timers.driver()).as("the timer thread runs no user code").isNotInstanceOf(NonBlocking.class);
    }

    @Test
    void reactorRefusesToBlockAPoolThread() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("reactor-blocks").workers(2));
        final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        pool.execute(() -> {
            try {
                if (!Schedulers.isInNonBlockingThread()) {
                    outcome.complete(new AssertionError("Schedulers.isInNonBlockingThread() is false on a pool thread"));
                    return;
                }
                Mono.never().block(Duration.ofMillis(1));
                outcome.complete(new AssertionError("block() did not throw"));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        assertThat(outcome.get(PoolTestSupport.PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("block");
    }

    @Test
    void rxJavaRefusesToBlockAPoolThreadWhenFailOnNonBlockingIsOn() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("rx-blocks").workers(2));
        final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        RxJavaPlugins.setFailOnNonBlockingScheduler(true);
        try {
            pool.execute(() -> {
                try {
                    Flowable.never().blockingFirst();
                    outcome.complete(new AssertionError("blockingFirst() did not throw"));
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            assertThat(outcome.get(PoolTestSupport.PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            RxJavaPlugins.setFailOnNonBlockingScheduler(false);
        }
    }

    @Test
    void theThreadClassFollowsTheMarkersPresent() throws Exception {
        assertThat(WorkerThreads.threadClassName(false, false)).isEqualTo(Thread.class.getName());
        assertMarkers(WorkerThreads.threadClassName(true, false), true, false);
        assertMarkers(WorkerThreads.threadClassName(false, true), false, true);
        assertMarkers(WorkerThreads.threadClassName(true, true), true, true);
        assertThat(WorkerThreads.threadClass().getName()).isEqualTo(WorkerThreads.threadClassName(true, true));
        assertThat(WorkerThreads.isPresent(WorkerThreads.REACTOR_MARKER)).isTrue();
        assertThat(WorkerThreads.isPresent("io.spindle.NoSuchMarker")).isFalse();
    }

    private static void assertMarkers(String className, boolean reactor, boolean rxjava) throws ClassNotFoundException {
        final Class<?> type = Class.forName(className);
        assertThat(Thread.class.isAssignableFrom(type)).isTrue();
        assertThat(NonBlocking.class.isAssignableFrom(type)).as("%s is Reactor NonBlocking", className).isEqualTo(reactor);
        assertThat(NonBlockingThread.class.isAssignableFrom(type)).as("%s is RxJava NonBlockingThread", className).isEqualTo(rxjava);
    }

    /**
     * Core without Reactor and RxJava: core's classes alone in a class loader whose parent is the
     * platform loader (no application classpath). A pool builds, runs a task on a plain
     * {@code Thread} and shuts down; nothing tries to load a marker.
     */
    @Test
    void withoutReactorAndRxJavaOnTheClasspathWorkersArePlainThreads() throws Exception {
        final URL coreClasses = WorkStealingPool.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {coreClasses}, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> isolated.loadClass(WorkerThreads.REACTOR_MARKER)).isInstanceOf(ClassNotFoundException.class);
            final Class<?> poolClass = isolated.loadClass(WorkStealingPool.class.getName());
            final Object builder = poolClass.getMethod("builder").invoke(null);
            builder.getClass().getMethod("workers", int.class).invoke(builder, 2);
            final ExecutorService pool = (ExecutorService) builder.getClass().getMethod("build").invoke(builder);
            try {
                final Class<?> threadClass = pool.submit(() -> Thread.currentThread().getClass()).get(PoolTestSupport.PROMPTLY.toSeconds(), TimeUnit.SECONDS);
                assertThat(threadClass).isEqualTo(Thread.class);
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(PoolTestSupport.PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void aUsersThreadFactoryIsUsedAsGivenWithoutMarkers() throws Exception {
        final WorkStealingPool pool = pools.build(WorkStealingPool.builder().name("plain").workers(2)
                .threadFactory(runnable -> new Thread(runnable, "mine")));
        for (Thread thread : PoolTestSupport.workerThreads(pool)) {
            assertThat(thread).isNotInstanceOf(NonBlocking.class).isNotInstanceOf(NonBlockingThread.class);
        }
    }
}
