/**
 * Spindle's Project Reactor adapter: {@code SpindleScheduler}, a time-capable
 * {@code reactor.core.scheduler.Scheduler} whose Workers are serial mailboxes on a
 * {@link io.spindle.core.WorkStealingPool}.
 *
 * <p>Not built yet: the adapter is tracked by its own issue and arrives after the pool and the
 * timer. This package exists so that the module layout is the one the design fixes.
 */
package io.spindle.reactor;
