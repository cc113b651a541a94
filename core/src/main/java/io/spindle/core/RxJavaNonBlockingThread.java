package io.spindle.core;

/**
 * A worker thread marked non-blocking for RxJava 3. Loaded only when RxJava is on the classpath;
 * see {@link WorkerThreads}.
 */
final class RxJavaNonBlockingThread extends Thread implements io.reactivex.rxjava3.internal.schedulers.NonBlockingThread {
    RxJavaNonBlockingThread(Runnable body, String name) {
        super(body, name);
    }
}
