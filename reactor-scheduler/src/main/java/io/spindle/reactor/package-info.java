/**
 * Spindle's Project Reactor adapter: {@link io.spindle.reactor.SpindleScheduler}, a time-capable
 * {@code reactor.core.scheduler.Scheduler} whose Workers are serial mailboxes
 * ({@link io.spindle.core.SerialWorker}) on a {@link io.spindle.core.WorkStealingPool}, its
 * {@code Schedulers.Factory} and a BlockHound integration.
 *
 * <p>Only {@code SpindleScheduler} (and the BlockHound integration, which {@code ServiceLoader}
 * needs public) are public; Workers, task handles and the error path are package-private details.
 */
package io.spindle.reactor;
