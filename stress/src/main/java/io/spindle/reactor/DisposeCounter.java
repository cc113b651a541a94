package io.spindle.reactor;

import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;

/** A {@link Disposable} that counts how many times it was disposed. */
final class DisposeCounter implements Disposable {

    private final AtomicInteger disposals = new AtomicInteger();

    int disposals() {
        return disposals.get();
    }

    @Override
    public void dispose() {
        disposals.incrementAndGet();
    }

    @Override
    public boolean isDisposed() {
        return disposals.get() > 0;
    }
}
