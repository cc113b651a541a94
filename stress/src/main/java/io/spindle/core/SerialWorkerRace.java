package io.spindle.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * The state of the serial worker's dispose-against-drain tests: a {@link SerialWorker}, created
 * with or without {@code interruptOnCancel} (the Reactor adapter's Workers interrupt, the
 * RxJava adapter's do not), one task in its mailbox, and no pool thread behind it: the task is
 * queued as {@code offer} queues it, but the worker is not submitted to the pool, so the test's
 * drain actor is the only drain there is.
 */
final class SerialWorkerRace {

    /**
     * The pool the workers belong to. It never receives a task: the workers only ask it whether
     * it is shutting down and whether the caller is one of its threads (never).
     */
    private static final WorkStealingPool POOL = WorkStealingPool.builder()
            .name("stress-serial-worker")
            .workers(1)
            .daemon(true)
            .stallThreshold(Duration.ZERO)
            .build();

    final SerialWorker worker;

    SerialWorkerRace(boolean interruptOnCancel) {
        worker = new SerialWorker(POOL, (task, error) -> {
            throw new AssertionError("a stress task threw", error);
        }, interruptOnCancel);
    }

    /** Queues {@code task} as {@code SerialWorker.offer} does, minus the pool submission. */
    void queue(SerialTask task) {
        if (!task.claim(worker, SerialTask.QUEUED) || !worker.enqueue(task)) {
            throw new AssertionError("the task did not make the mailbox start a drain");
        }
    }

    /**
     * The drain of the one queued task, as {@link SerialWorker#run()} does it, but reading
     * {@code disposed} before publishing {@code running} instead of after: the protocol minus its
     * ordering. Interrupts that reach the task are cleared at the end, as the drain does.
     */
    void drainCheckingBeforePublishing() {
        final SerialTask task = worker.poll();
        worker.taken(1);
        if (worker.isDisposed()) {
            task.discard();
        } else {
            RUNNING.setVolatile(worker, task);
            if (task.startRun()) {
                task.task().run();
                task.endRun();
                Thread.interrupted();
            }
        }
        RUNNING.setRelease(worker, (SerialTask) null);
        if (worker.acknowledge(1) != 0) {
            throw new AssertionError("a task arrived that the test did not queue");
        }
    }

    private static final VarHandle RUNNING;

    static {
        try {
            RUNNING = MethodHandles.privateLookupIn(SerialWorker.class, MethodHandles.lookup())
                    .findVarHandle(SerialWorker.class, "running", SerialTask.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
