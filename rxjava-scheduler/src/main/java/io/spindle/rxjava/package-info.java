/**
 * Spindle's RxJava 3 adapter: {@code SpindleRxScheduler}, an
 * {@code io.reactivex.rxjava3.core.Scheduler} whose Workers are serial mailboxes on a
 * {@link io.spindle.core.WorkStealingPool}.
 *
 * <p>Not built yet: the adapter is tracked by its own issue and arrives after the pool and the
 * timer. This package exists so that the module layout is the one the design fixes.
 */
package io.spindle.rxjava;
