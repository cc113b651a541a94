package io.spindle.reactor;

import io.spindle.core.WorkStealingPool;
import java.time.Duration;

/**
 * What the Reactor adapter's stress tests share: one small pool for the whole run, and a
 * scheduler wrapping it for Workers to name as their parent. A pool per test state would start
 * threads by the thousand (jcstress makes states in batches of thousands); the tests that need
 * the pool use it through non-owning {@link Lifecycle}s and {@link SpindleScheduler#wrap}, which
 * never shut it down, and leave nothing on it (delayed tasks they arm are cancelled or fire
 * harmlessly).
 */
final class ReactorStress {

    /** The shared pool: one daemon worker, no stall detector (a stress run is busy by design). */
    static final WorkStealingPool POOL = WorkStealingPool.builder()
            .name("stress-reactor")
            .workers(1)
            .daemon(true)
            .stallThreshold(Duration.ZERO)
            .taskErrorHandler(ReactorErrors.HANDLER)
            .build();

    /** The parent Workers report in {@code toString()} and {@code Scannable}; nothing more. */
    static final SpindleScheduler PARENT = SpindleScheduler.wrap(POOL);

    /** A long delay: a timer armed with it never fires during a run, so only a cancel ends it. */
    static final long NEVER_HOURS = 1;

    private ReactorStress() {}

    /**
     * A live lifecycle that nothing disposes, for direct tasks whose race does not involve the
     * scheduler's state (they read it only to learn that no forced dispose stopped the pool).
     */
    static final Lifecycle LIVE = new Lifecycle(POOL, false);

    /** A live, non-owning lifecycle on the shared pool: disposing it leaves the pool alone. */
    static Lifecycle lifecycle() {
        return new Lifecycle(POOL, false);
    }

    /** A new Worker on the shared pool, in a lifecycle of its own. */
    static SpindleWorker worker(Lifecycle lifecycle) {
        return new SpindleWorker(lifecycle, PARENT);
    }
}
