package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker of a {@link WorkStealingPool}: its local queue, its LIFO slot, its parking state and
 * the run loop its thread executes. The Java form of Tokio's {@code worker.rs} and
 * {@code park.rs}.
 *
 * <h2>The run loop</h2>
 * Each turn of the loop is a tick. A task comes from, in order:
 * <ol>
 *   <li>every {@code globalQueueInterval} ticks, the inject queue first (a batch, as below), so
 *       that outside submissions are served even while local work never runs dry; the interval
 *       tunes itself so that about {@value #TARGET_GLOBAL_QUEUE_INTERVAL_NANOS} ns pass between
 *       checks, from an EWMA of task time, clamped to
 *       {@value #MIN_GLOBAL_QUEUE_INTERVAL}..{@value #MAX_GLOBAL_QUEUE_INTERVAL};
 *   <li>the LIFO slot, then the local queue;
 *   <li>a batch from the inject queue: {@code len / workers + 1} tasks, at most half a local
 *       queue, so that pulled tasks land in the older half (see {@link LocalQueue});
 *   <li>stealing: become a searcher (at most about half the workers search), visit every other
 *       worker once from a random start, steal half of the first non-empty queue and run the
 *       last stolen task directly; else one task from the inject queue; else, on a final pass,
 *       a LIFO task that stayed in its slot for the whole pass (its owner is busy with
 *       something long, so the task would otherwise wait for it).
 * </ol>
 * When the pool is shut down a worker with nothing left to do exits, once the timers have
 * handed over their last one-shot task ({@link WorkStealingPool#mayExit()}); until then it
 * parks like any idle worker.
 *
 * <p>A task scheduled from this worker's own thread goes to the LIFO slot, and the task it
 * displaces to the back of the local queue. The slot runs right after the current task, which
 * keeps message-passing chains on one warm core; after {@value #MAX_LIFO_POLLS} consecutive LIFO
 * runs the slot is bypassed until the chain ends, so a chain cannot starve the queue
 * (Tokio #5712). That is the loop's one budget: a task runs to completion, so the chain giving
 * up its place is what {@link PoolMetrics#budgetForcedYieldCount} counts, once per chain cut
 * short (a submission that the cap sent to the back of the queue rather than to the slot).
 * A {@link SerialWorker} runs many tasks in one pool task and so has a budget of its own; when
 * it is used up the serial worker goes to the back of the local queue ({@link #scheduleBack}),
 * counted the same way. Every {@value #MAINTENANCE_INTERVAL} ticks the worker closes its busy period
 * (busy time and the task-time EWMA).
 *
 * <p>A worker pushing onto its own queue wakes another only when the push made the queue
 * non-empty (judged after the task is published, since a thief may empty the queue meanwhile)
 * or sent tasks to the inject queue (see {@link LocalQueue#pushBackOrOverflow}); a
 * task put into an empty LIFO slot wakes nobody. What that silence could strand behind an owner
 * stuck in a long task is rescued by the LIFO watcher ({@link #STALL_CHECK_NANOS}).
 *
 * <h2>Fields and who touches them</h2>
 * <pre>
 *  local       ── see LocalQueue: owner pushes and pops, thieves steal.
 *  lifo        ── owner stores non-null (release store into an empty slot, getAndSet to
 *                 displace) and takes with getAndSet; other threads only CAS non-null to null
 *                 (final-pass stealing, the LIFO watcher, the stall detector,
 *                 shutdownNow). Exactly one side gets a task.
 *  parkState   ── RUNNING → PARKED: owner, volatile store, before it counts itself parked.
 *                 PARKED → NOTIFIED: a waker, CAS, after reserving the wake in Idle.
 *                 PARKED → RUNNING: owner, CAS, when it leaves parking by itself (shutdown, or
 *                 as the LIFO watcher that found a stuck task).
 *                 NOTIFIED → RUNNING: owner, after waking. EXITED: owner, when it leaves.
 *  thread      ── volatile; written by the pool when it starts (or replaces) the thread.
 *  runningTask ── the task being run, for the stall detector: owner only, opaque store of each
 *                 task before it runs (no clock read), opaque store of null when the worker
 *                 runs out of work; read by the detector with opaque loads. A plain store could
 *                 be hoisted or merged by the JIT across the task; opaque keeps each one.
 *  everything else ── owner-only plain fields; metrics are published through WorkerMetrics
 *                 (and, when the pool keeps one, the task-duration histogram).
 * </pre>
 * {@code LockSupport}'s permit is the parker's "notified" flag: an {@code unpark} that lands
 * before {@code park} is not lost, and because {@code unpark} is called only for a worker whose
 * state the waker moved from PARKED, a running worker never receives a wasted one.
 */
final class Worker {

    /** Tokio's {@code event_interval}, "copied from Go". */
    static final int MAINTENANCE_INTERVAL = 61;
    /** At most this many LIFO runs in a row (Tokio #5712). */
    static final int MAX_LIFO_POLLS = 3;
    /** The self-tuning interval aims for this much task time between inject-queue checks. */
    static final long TARGET_GLOBAL_QUEUE_INTERVAL_NANOS = 200_000;
    static final int MIN_GLOBAL_QUEUE_INTERVAL = 2;
    static final int MAX_GLOBAL_QUEUE_INTERVAL = 127;
    /** Tokio's {@code TARGET_TASKS_POLLED_PER_GLOBAL_QUEUE_INTERVAL}: the starting point. */
    static final int INITIAL_GLOBAL_QUEUE_INTERVAL = 61;
    /** Weight of the newest task-time sample per task in the EWMA. */
    static final double TASK_TIME_EWMA_ALPHA = 0.1;
    /**
     * How often the LIFO watcher looks at the other workers' LIFO slots. A task placed in an
     * empty slot wakes nobody (the silent fast path that keeps message-passing chains cheap), so
     * if its owner then blocks, no searcher may ever come to take it (Tokio #4941). While at
     * least one worker runs and another is parked, one parked worker (the watcher) wakes this
     * often, and a task found in the same slot two looks in a row belongs to an owner stuck in
     * one task for at least this long: the watcher leaves parking and steals it. A fully idle
     * pool has no watcher and no timed wake-ups.
     */
    static final long STALL_CHECK_NANOS = 10_000_000;

    static final int RUNNING = 0;
    static final int PARKED = 1;
    static final int NOTIFIED = 2;
    static final int EXITED = 3;

    final WorkStealingPool pool;
    final int index;
    final LocalQueue local;
    final WorkerMetrics metrics = new WorkerMetrics();

    /** See the class comment; accessed through {@link #LIFO}. */
    @SuppressWarnings("unused")
    private Task lifo;
    /** See the class comment; accessed through {@link #PARK_STATE}. */
    @SuppressWarnings("unused")
    private int parkState;
    volatile Thread thread;
    /** See the class comment; accessed through {@link #RUNNING_TASK}. */
    @SuppressWarnings("unused")
    private Task runningTask;
    /** Task durations, or null when the pool keeps no histogram. */
    final TaskDurationHistogram histogram;

    // Owner-only state.
    private int ticksToGlobal;
    private int ticksToMaintenance = MAINTENANCE_INTERVAL;
    private int globalQueueInterval;
    private final boolean adaptiveInterval;
    private boolean lifoEnabled;
    /** The LIFO cap was hit in this run and no submission has been sent elsewhere by it yet. */
    private boolean lifoCapped;
    private boolean searching;
    private boolean ranSinceWake = true;
    private double taskTimeEwma = (double) TARGET_GLOBAL_QUEUE_INTERVAL_NANOS / INITIAL_GLOBAL_QUEUE_INTERVAL;
    private long batchStart;
    private int batchPolls;
    private int random;
    /** LIFO tasks seen on the first pass of a search (or the watcher's last look). */
    private final Task[] lifoSeen;
    /** A LIFO task taken while watching, to run when {@link #park()} returns. */
    private Task watchStolen;

    Worker(WorkStealingPool pool, int index, int localQueueCapacity, int fixedGlobalQueueInterval, int workers) {
        this.pool = pool;
        this.index = index;
        this.local = new LocalQueue(localQueueCapacity);
        this.adaptiveInterval = fixedGlobalQueueInterval == 0;
        this.globalQueueInterval = adaptiveInterval ? INITIAL_GLOBAL_QUEUE_INTERVAL : fixedGlobalQueueInterval;
        this.ticksToGlobal = globalQueueInterval;
        this.lifoEnabled = pool.lifoSlot;
        this.random = 0x9E3779B9 * (index + 1);
        this.lifoSeen = new Task[workers];
        this.histogram = pool.taskDurationHistogram ? new TaskDurationHistogram() : null;
    }

    // ---------------------------------------------------------------- the loop

    /** The body of the worker's thread. Returns when the pool shut down and no work is left. */
    void runLoop() {
        startBatch();
        for (;;) {
            if (--ticksToMaintenance == 0) {
                ticksToMaintenance = MAINTENANCE_INTERVAL;
                maintenance();
            }
            Task task = nextTask();
            if (task != null) {
                runTask(task);
                continue;
            }
            endBatch();
            RUNNING_TASK.setOpaque(this, (Task) null);
            task = stealWork();
            if (task != null) {
                startBatch();
                runTask(task);
                continue;
            }
            if (pool.mayExit()) {
                // The timer driver may have spliced its last batch after this worker's search.
                if (hasLocalWork() || !pool.inject.isEmpty()) {
                    continue;
                }
                leaveSearching();
                PARK_STATE.setVolatile(this, EXITED);
                return;
            }
            parkObserved();
            startBatch();
            final Task stolen = watchStolen;
            if (stolen != null) {
                watchStolen = null;
                runTask(stolen);
            }
        }
    }

    private Task nextTask() {
        if (--ticksToGlobal <= 0) {
            tuneGlobalQueueInterval();
            ticksToGlobal = globalQueueInterval;
            final Task task = pullInjectBatch();
            return task != null ? task : takeLocal();
        }
        final Task task = takeLocal();
        return task != null ? task : pullInjectBatch();
    }

    private Task takeLocal() {
        final Task task = takeLifo();
        return task != null ? task : local.pop();
    }

    /**
     * Takes {@code len / workers + 1} tasks from the inject queue: the first to run now, the
     * rest to the back of the local queue.
     *
     * <p>The batch is capped so that the tasks it adds to the local queue sit in its older half,
     * which an overflow keeps; a task can then never bounce between the two queues forever
     * (Tokio #8029's three-bucket argument). Tokio pulls a batch only when its local queue is
     * empty and a single task at the periodic check; pulling a batch at the periodic check too
     * keeps outside submissions moving at a useful rate while tasks that resubmit themselves keep
     * the local queue from ever running dry (the {@code spawnManyRemoteBusy} benchmark).
     */
    private Task pullInjectBatch() {
        final InjectQueue<Task> inject = pool.inject;
        final int len = inject.len();
        if (len == 0) {
            return null;
        }
        final int olderHalfRoom = (local.capacity >>> 1) - local.len();
        final int cap = Math.max(0, Math.min(local.remainingSlots(), olderHalfRoom));
        final int n = Math.max(1, Math.min(len / pool.workers.length + 1, cap + 1));
        try (InjectQueue.Pop<Task> batch = inject.popN(n)) {
            if (!batch.hasNext()) {
                return null;
            }
            final Task first = batch.next();
            if (local.pushBackAll(batch)) {
                // An empty queue became non-empty: tell somebody, or the rest of the batch
                // waits for this worker's next task.
                pool.notifyParked();
            }
            return first;
        }
    }

    private void runTask(Task task) {
        leaveSearching();
        ranSinceWake = true;
        runOne(task);
        int lifoPolls = 0;
        Task next;
        while ((next = takeLifo()) != null) {
            if (++lifoPolls >= MAX_LIFO_POLLS && lifoEnabled) {
                lifoEnabled = false;
                lifoCapped = true;
            }
            // LIFO runs are not ticks (Tokio's rule), but they count toward the inject-queue
            // interval: the interval is tuned from time per task, so counting only ticks would
            // space the checks up to MAX_LIFO_POLLS + 1 times further apart than the target.
            --ticksToGlobal;
            runOne(next);
        }
        lifoEnabled = pool.lifoSlot;
        lifoCapped = false;
    }

    private void runOne(Task task) {
        metrics.poll();
        RUNNING_TASK.setOpaque(this, task);
        batchPolls++;
        final TaskDurationHistogram histogram = this.histogram;
        final long start = histogram != null ? System.nanoTime() : 0;
        try {
            task.run();
        } catch (Throwable error) {
            pool.taskFailed(task, error);
        }
        if (histogram != null) {
            histogram.record(System.nanoTime() - start);
        }
        // A task may leave the thread interrupted; that must not leak into the next one, unless
        // shutdownNow() is stopping the pool, in which case every task should see it.
        if (Thread.interrupted() && pool.isStopping()) {
            Thread.currentThread().interrupt();
        }
    }

    private void leaveSearching() {
        if (searching) {
            searching = false;
            if (pool.idle.transitionFromSearching()) {
                // The last searcher found work: submitters skipped waking anyone while it
                // searched, so it passes the baton on (Tokio #4383).
                pool.notifyParked();
            }
        }
    }

    // ---------------------------------------------------------------- scheduling from this thread

    /** Schedules a task submitted on this worker's own thread. */
    void scheduleLocal(Task task) {
        metrics.localSchedule();
        final Task queued;
        if (lifoEnabled) {
            if (LIFO.getOpaque(this) == null) {
                // Only the owner ever stores a task into the slot, so it stays empty until the
                // release store below: the silent fast path, no wake-up (Tokio #8065).
                LIFO.setRelease(this, task);
                return;
            }
            queued = (Task) LIFO.getAndSet(this, task);
            if (queued == null) {
                return;
            }
        } else {
            queued = task;
            if (lifoCapped) {
                lifoCapped = false;
                metrics.budgetForcedYield();
            }
        }
        if (local.pushBackOrOverflow(queued, pool.inject, metrics)) {
            pool.notifyParked();
        }
    }

    /**
     * Schedules a task from this worker's thread at the back of its local queue, bypassing the
     * LIFO slot: a {@link SerialWorker} whose drain used up its budget yields this way, since
     * the LIFO slot would run it again right away. Counted as a budget-forced yield.
     */
    void scheduleBack(Task task) {
        metrics.localSchedule();
        metrics.budgetForcedYield();
        if (local.pushBackOrOverflow(task, pool.inject, metrics)) {
            pool.notifyParked();
        }
    }

    /**
     * Fills the local queue (one release store for all the tasks that fit) and sends the rest to
     * the inject queue in one splice, counted as this worker's.
     */
    void scheduleLocalBatch(Task[] tasks) {
        final int fits = Math.min(Math.max(0, local.remainingSlots()), tasks.length);
        metrics.localSchedules(tasks.length);
        local.pushBackAll(tasks, fits);
        final int spill = tasks.length - fits;
        if (spill > 0) {
            for (int i = fits; i < tasks.length - 1; i++) {
                tasks[i].next = tasks[i + 1];
            }
            // Counted before the splice, as an overflow is (see WorkerMetrics).
            metrics.injectSplice(spill);
            pool.inject.spliceEvenIfClosed(tasks[fits], tasks[tasks.length - 1], spill);
        }
        pool.notifyParked();
    }

    private Task takeLifo() {
        if (LIFO.getOpaque(this) == null) {
            return null;
        }
        return (Task) LIFO.getAndSet(this, (Task) null);
    }

    /** Takes the LIFO task from another worker's thread if it is still {@code expected}. */
    Task stealLifo(Task expected) {
        if (expected == null || !LIFO.compareAndSet(this, expected, (Task) null)) {
            return null;
        }
        if (JfrEvents.stealEnabled()) {
            final Worker thief = pool.currentWorker();
            if (thief != null) {
                StealEvent.commit(thief, this, 1);
            }
        }
        return expected;
    }

    /** The stall detector takes the LIFO task of a stalled worker (a CAS, as thieves do). */
    Task takeLifoForRescue() {
        final Task task = peekLifo();
        return task != null && LIFO.compareAndSet(this, task, (Task) null) ? task : null;
    }

    /** The task this worker runs (or last ran, if it has not run out of work since); any thread. */
    Task runningTask() {
        return (Task) RUNNING_TASK.getOpaque(this);
    }

    /** Takes the LIFO task from another thread, whatever it is (shutdownNow). */
    Task takeLifoForeign() {
        return (Task) LIFO.getAndSet(this, (Task) null);
    }

    Task peekLifo() {
        return (Task) LIFO.getOpaque(this);
    }

    boolean hasLocalWork() {
        return LIFO.getOpaque(this) != null || !local.isEmpty();
    }

    // ---------------------------------------------------------------- stealing

    private Task stealWork() {
        if (!searching) {
            if (!pool.idle.tryTransitionToSearching()) {
                return null;
            }
            searching = true;
        }
        final Worker[] workers = pool.workers;
        final int n = workers.length;
        final int start = nextRandom(n);
        final long stolenBefore = metrics.stealCount();
        for (int i = 0; i < n; i++) {
            final Worker victim = workers[(start + i) % n];
            if (victim == this) {
                continue;
            }
            lifoSeen[victim.index] = victim.peekLifo();
            final Task task = victim.local.stealInto(local, metrics);
            if (task != null) {
                clearLifoSeen();
                if (JfrEvents.stealEnabled()) {
                    StealEvent.commit(this, victim, metrics.stealCount() - stolenBefore);
                }
                return task;
            }
        }
        final Task task = pool.inject.pop();
        if (task != null) {
            clearLifoSeen();
            return task;
        }
        // Final pass: a LIFO task still in its slot after a whole pass belongs to an owner busy
        // with a long task; take it rather than let it wait (Tokio #4941, Go's runqsteal).
        Task stolen = null;
        for (int i = 0; i < n && stolen == null; i++) {
            final Worker victim = workers[(start + i) % n];
            if (victim != this) {
                stolen = victim.stealLifo(lifoSeen[victim.index]);
            }
        }
        clearLifoSeen();
        if (stolen != null) {
            metrics.steal(1);
        }
        return stolen;
    }

    private void clearLifoSeen() {
        Arrays.fill(lifoSeen, null);
    }

    private int nextRandom(int bound) {
        int x = random;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        random = x;
        return (int) (((x & 0xFFFF_FFFFL) * bound) >>> 32);
    }

    // ---------------------------------------------------------------- parking

    /** {@link #park()}, recorded as a JFR {@code io.spindle.WorkerPark} event when one is wanted. */
    private void parkObserved() {
        final WorkerParkEvent event = JfrEvents.beginPark(this);
        park();
        if (event != null) {
            event.commit();
        }
    }

    private void park() {
        PARK_STATE.setVolatile(this, PARKED);
        pool.parkedHint(index);
        final boolean wasSearching = searching;
        searching = false;
        final boolean lastSearcher = pool.idle.transitionToParked(wasSearching);
        // Work submitted while this worker was searching did not wake anybody: the last
        // searcher to park looks everywhere once more. Every parker looks at the inject queue,
        // which costs one load and closes the window in which a submitter saw every worker
        // awake just before this one counted itself parked.
        if (lastSearcher ? pool.anyWorkVisible() : !pool.inject.isEmpty()) {
            pool.notifyParked();
        }
        if (!ranSinceWake) {
            metrics.noopWake();
        }
        metrics.park();
        boolean watching = false;
        while ((int) PARK_STATE.getVolatile(this) == PARKED) {
            if (pool.mayExit()) {
                if (leaveParkingBySelf()) {
                    stopWatching(watching);
                    return;
                }
                break;
            }
            if (!watching && pool.idle.unparkedNow() > 0 && pool.tryBecomeLifoWatcher(this)) {
                watching = true;
                lookAtLifoSlots();
            }
            if (!watching) {
                LockSupport.park(pool);
                continue;
            }
            LockSupport.parkNanos(pool, STALL_CHECK_NANOS);
            if ((int) PARK_STATE.getVolatile(this) != PARKED) {
                break;
            }
            final Worker stuck = lookAtLifoSlots();
            if (stuck != null) {
                if (!leaveParkingBySelf()) {
                    break;
                }
                watchStolen = stuck.stealLifo(lifoSeen[stuck.index]);
                if (watchStolen != null) {
                    metrics.steal(1);
                }
                stopWatching(true);
                return;
            }
            if (pool.idle.unparkedNow() == 0) {
                // Everybody parked: nothing can be stuck, and an idle pool must not tick.
                stopWatching(true);
                watching = false;
            }
        }
        stopWatching(watching);
        // Woken by notifyParked: the waker counted this worker as unparked and searching.
        PARK_STATE.setVolatile(this, RUNNING);
        searching = true;
        ranSinceWake = false;
    }

    /**
     * Leaves parking without being woken: PARKED to RUNNING, counted as unparked again.
     *
     * @return false if a waker got here first (the worker is NOTIFIED and counted as searching)
     */
    private boolean leaveParkingBySelf() {
        if (!PARK_STATE.compareAndSet(this, PARKED, RUNNING)) {
            return false;
        }
        pool.idle.transitionFromParkedBySelf();
        return true;
    }

    /**
     * The watcher's look at every other worker's LIFO slot: remembers what it sees and returns a
     * worker whose slot holds the same task as at the previous look, or null.
     */
    private Worker lookAtLifoSlots() {
        Worker stuck = null;
        for (Worker other : pool.workers) {
            if (other == this) {
                continue;
            }
            final Task task = other.peekLifo();
            if (stuck == null && task != null && task == lifoSeen[other.index]) {
                stuck = other;
            } else {
                lifoSeen[other.index] = task;
            }
        }
        return stuck;
    }

    private void stopWatching(boolean watching) {
        if (watching) {
            clearLifoSeen();
            pool.releaseLifoWatcher(this);
        }
    }

    boolean isParked() {
        return (int) PARK_STATE.getVolatile(this) == PARKED;
    }

    /** Moves a parked worker to NOTIFIED; true if this call did it. */
    boolean tryNotify() {
        return (int) PARK_STATE.getVolatile(this) == PARKED && PARK_STATE.compareAndSet(this, PARKED, NOTIFIED);
    }

    // ---------------------------------------------------------------- busy time and the interval

    private void maintenance() {
        endBatch();
        startBatch();
    }

    private void startBatch() {
        batchStart = System.nanoTime();
        batchPolls = 0;
    }

    /** Closes a busy period: busy time, and the task-time EWMA the interval is tuned from. */
    private void endBatch() {
        final int polls = batchPolls;
        if (polls == 0) {
            return;
        }
        final long elapsed = System.nanoTime() - batchStart;
        final double mean = (double) elapsed / polls;
        final double weight = 1 - Math.pow(1 - TASK_TIME_EWMA_ALPHA, polls);
        taskTimeEwma = weight * mean + (1 - weight) * taskTimeEwma;
        batchPolls = 0;
        metrics.busy(elapsed, taskTimeEwma);
    }

    private void tuneGlobalQueueInterval() {
        if (!adaptiveInterval) {
            return;
        }
        final double ewma = Math.max(1.0, taskTimeEwma);
        final int target = (int) Math.max(MIN_GLOBAL_QUEUE_INTERVAL,
                Math.min(MAX_GLOBAL_QUEUE_INTERVAL, TARGET_GLOBAL_QUEUE_INTERVAL_NANOS / ewma));
        if (Math.abs(target - globalQueueInterval) > 2) {
            globalQueueInterval = target;
        }
    }

    @Override
    public String toString() {
        return "Worker[" + index + ", local=" + local.len() + ", parkState=" + PARK_STATE.getOpaque(this) + "]";
    }

    private static final VarHandle LIFO;
    private static final VarHandle PARK_STATE;
    private static final VarHandle RUNNING_TASK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LIFO = lookup.findVarHandle(Worker.class, "lifo", Task.class);
            PARK_STATE = lookup.findVarHandle(Worker.class, "parkState", int.class);
            RUNNING_TASK = lookup.findVarHandle(Worker.class, "runningTask", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
