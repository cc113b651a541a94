package io.spindle.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import reactor.core.Disposable;

/**
 * Replays {@link PeriodicRegistry#add} minus its read of {@code disposed} after the insertion,
 * for the control test: the member goes into the registry's private set and nothing more.
 */
final class PeriodicRegistryRace {

    private PeriodicRegistryRace() {}

    /** Inserts {@code member} as {@code add} does, without looking at {@code disposed} after. */
    @SuppressWarnings("unchecked") // the field's declared type
    static void addWithoutRecheck(PeriodicRegistry registry, Disposable member) {
        ((Set<Disposable>) MEMBERS.get(registry)).add(member);
    }

    private static final VarHandle MEMBERS;

    static {
        try {
            MEMBERS = MethodHandles.privateLookupIn(PeriodicRegistry.class, MethodHandles.lookup())
                    .findVarHandle(PeriodicRegistry.class, "members", Set.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
