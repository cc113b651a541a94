package io.spindle.core;

/**
 * A worker thread marked non-blocking for Reactor. Loaded only when Reactor is on the classpath;
 * see {@link WorkerThreads}.
 */
final class ReactorNonBlockingThread extends Thread implements reactor.core.scheduler.NonBlocking {
    ReactorNonBlockingThread(Runnable body, String name) {
        super(body, name);
    }
}
