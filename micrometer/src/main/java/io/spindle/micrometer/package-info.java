/**
 * Micrometer meters for Spindle: {@link io.spindle.micrometer.SpindleMetrics} binds a
 * {@link io.spindle.core.WorkStealingPool}'s {@link io.spindle.core.PoolMetrics} to a
 * {@code MeterRegistry}. This module is the only one that depends on Micrometer;
 * {@code spindle-core} works without it on the class path.
 *
 * <h2>Reactor's timed scheduler</h2>
 * {@code SpindleMetrics} describes the pool: queues, steals, parks, stalls. What Reactor users
 * usually also want per scheduler (tasks submitted, pending, active, and how long they ran) comes
 * from Reactor's own wrapper in {@code io.projectreactor:reactor-core-micrometer}, which works
 * around any {@code Scheduler}. Until Spindle's Reactor adapter ({@code SpindleScheduler}) lands,
 * wrap the executor bridge; once it does, wrap {@code SpindleScheduler.wrap(pool)} the same way:
 * <pre>{@code
 * WorkStealingPool pool = WorkStealingPool.builder().name("app").build();
 * new SpindleMetrics(pool).bindTo(registry);                        // spindle.* meters
 * Scheduler scheduler = reactor.core.observability.micrometer.Micrometer.timedScheduler(
 *         Schedulers.fromExecutorService(pool),                     // later: SpindleScheduler.wrap(pool)
 *         registry, "spindle.reactor", Tags.of("pool", pool.name()));
 * }</pre>
 * The timed scheduler adds meters named {@code spindle.reactor.scheduler.tasks.submitted}
 * (a counter tagged with the submission type), {@code ...tasks.active} and
 * {@code ...tasks.pending} (long task timers) and {@code ...tasks.completed} (a timer), with the
 * same {@code pool} tag, so both sets can be put side by side on one dashboard. It times each
 * task by decorating it, which costs a little per task, unlike {@code SpindleMetrics}.
 */
package io.spindle.micrometer;
