/**
 * Spindle's RxJava 3 adapter: {@link io.spindle.rxjava.SpindleRxScheduler}, an
 * {@code io.reactivex.rxjava3.core.Scheduler} whose Workers are serial mailboxes
 * ({@link io.spindle.core.SerialWorker}) on a {@link io.spindle.core.WorkStealingPool}, and
 * {@link io.spindle.rxjava.SpindleRxScheduler#installAsComputation()}, which makes
 * {@code Schedulers.computation()} return one.
 *
 * <p>Only {@code SpindleRxScheduler} is public; the Worker, its task handles and the direct and
 * periodic tasks are package-private details of it.
 */
package io.spindle.rxjava;
