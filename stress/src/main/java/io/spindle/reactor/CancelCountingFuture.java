package io.spindle.reactor;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a pool timer's future: counts {@link #cancel} calls, so a test can tell a timer
 * that nobody cancelled (left armed: a leak until it fires, or for good if it is periodic) from
 * one cancelled once or, harmlessly, twice.
 */
final class CancelCountingFuture implements Future<Void> {

    private final AtomicInteger cancels = new AtomicInteger();

    /** How many times {@link #cancel} has been called. */
    int cancels() {
        return cancels.get();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return cancels.getAndIncrement() == 0;
    }

    @Override
    public boolean isCancelled() {
        return cancels.get() > 0;
    }

    @Override
    public boolean isDone() {
        return isCancelled();
    }

    @Override
    public Void get() {
        throw new UnsupportedOperationException("a stress stand-in never completes");
    }

    @Override
    public Void get(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("a stress stand-in never completes");
    }
}
