package io.spindle.reactor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;

/**
 * The periodic tasks (and per-Worker registries of them) that must stop when their owner is
 * disposed: a scheduler's, so that {@code disposeGracefully()} does not wait for the next tick
 * of a {@code Flux.interval} and a wrapping scheduler's periodic tasks stop with it; a Worker's,
 * so that disposing the Worker (what {@code Flux.interval} does on cancel) takes its periodic
 * tasks out of the scheduler's registry. Only periodic tasks are registered: one-shot tasks end
 * by themselves, and the hot paths never touch this class.
 *
 * <p>Add, remove and dispose are O(1) per element (a concurrent hash set, where Reactor's
 * {@code Disposables.composite()} is a list with an O(n) remove).
 *
 * <h2>Fields</h2>
 * <pre>
 *  members  ── a concurrent set.
 *  disposed ── false → true once, volatile. add() puts the element in, then reads disposed;
 *              dispose() stores disposed, then walks the set. Both are sequentially consistent,
 *              so at least one of them sees the other: either the walk finds the element, or
 *              add() finds the registry disposed and disposes the element itself (disposing
 *              twice is harmless).
 * </pre>
 */
final class PeriodicRegistry implements Disposable {

    private final Set<Disposable> members = ConcurrentHashMap.newKeySet();
    private volatile boolean disposed;

    /**
     * Registers {@code member}.
     *
     * @return false if this registry is disposed, in which case {@code member} has been disposed
     */
    boolean add(Disposable member) {
        members.add(member);
        if (disposed) {
            members.remove(member);
            member.dispose();
            return false;
        }
        return true;
    }

    /** Unregisters {@code member}, if it is there; does not dispose it. */
    void remove(Disposable member) {
        members.remove(member);
    }

    /** Disposes every member, and every member added from now on. Idempotent. */
    @Override
    public void dispose() {
        disposed = true;
        for (Disposable member : members) {
            members.remove(member);
            member.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    /** The number of members right now. */
    int size() {
        return members.size();
    }
}
