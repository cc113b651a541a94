package io.spindle.core;

/**
 * A worker thread marked non-blocking for both Reactor and RxJava 3, for a classpath with both
 * (one pool may back a Reactor and an RxJava scheduler at once). Loaded only when both are on the
 * classpath; see {@link WorkerThreads}.
 */
final class ReactiveNonBlockingThread extends Thread
        implements reactor.core.scheduler.NonBlocking, io.reactivex.rxjava3.internal.schedulers.NonBlockingThread {
    ReactiveNonBlockingThread(Runnable body, String name) {
        super(body, name);
    }
}
