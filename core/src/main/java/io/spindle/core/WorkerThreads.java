package io.spindle.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The class of the pool's default worker threads, chosen once at run time: a thread that
 * implements Reactor's {@code reactor.core.scheduler.NonBlocking} marker when Reactor is on the
 * classpath, RxJava's {@code io.reactivex.rxjava3.internal.schedulers.NonBlockingThread} marker
 * when RxJava is, both when both are, neither when neither is.
 *
 * <p>Those markers are how the two libraries tell a non-blocking thread: on one, Reactor's
 * {@code block()} throws ({@code Schedulers.isInNonBlockingThread()}), and RxJava's
 * {@code blockingX} throws once {@code RxJavaPlugins.setFailOnNonBlockingScheduler(true)}. A pool's
 * workers must never block (they are few, and other tasks wait behind a blocked one), so they
 * carry the markers of whichever library is present, whoever built the pool and whichever
 * adapter wraps it. Core compiles against both libraries as optional dependencies and refers to
 * the marked classes only through method handles looked up here after checking that the marker
 * interfaces load, so a classpath without Reactor or RxJava never tries to load a class that
 * needs them.
 *
 * <p>A {@code ThreadFactory} given to the pool's builder is used as given: Reactor's own
 * factories already make {@code NonBlocking} threads.
 */
final class WorkerThreads {

    static final String REACTOR_MARKER = "reactor.core.scheduler.NonBlocking";
    static final String RXJAVA_MARKER = "io.reactivex.rxjava3.internal.schedulers.NonBlockingThread";

    /** The chosen thread class. */
    private static final Class<?> THREAD_CLASS = load(threadClassName(isPresent(REACTOR_MARKER), isPresent(RXJAVA_MARKER)));
    /** Its constructor {@code (Runnable, String)}, typed to return a {@code Thread}. */
    private static final MethodHandle CONSTRUCTOR = constructorOf(THREAD_CLASS);

    private WorkerThreads() {}

    /** A new, unstarted worker thread of the chosen class. */
    static Thread newThread(Runnable body, String name) {
        try {
            return (Thread) CONSTRUCTOR.invokeExact(body, name);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("could not create worker thread " + name, e);
        }
    }

    /** The class the default factory makes: which markers it carries. For diagnostics and tests. */
    static Class<?> threadClass() {
        return THREAD_CLASS;
    }

    /** The thread class for the markers present. */
    static String threadClassName(boolean reactor, boolean rxjava) {
        final String simpleName;
        if (reactor && rxjava) {
            simpleName = "ReactiveNonBlockingThread";
        } else if (reactor) {
            simpleName = "ReactorNonBlockingThread";
        } else if (rxjava) {
            simpleName = "RxJavaNonBlockingThread";
        } else {
            return Thread.class.getName();
        }
        return WorkerThreads.class.getPackageName() + "." + simpleName;
    }

    static boolean isPresent(String className) {
        try {
            Class.forName(className, false, WorkerThreads.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, true, WorkerThreads.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static MethodHandle constructorOf(Class<?> type) {
        try {
            return MethodHandles.lookup()
                    .findConstructor(type, MethodType.methodType(void.class, Runnable.class, String.class))
                    .asType(MethodType.methodType(Thread.class, Runnable.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
