package io.spindle.examples.webflux;

import io.spindle.micrometer.SpindleMetrics;
import io.spindle.reactor.SpindleScheduler;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * The Spindle beans: a {@link SpindleScheduler} for handlers to {@code publishOn}, its pool's
 * metrics for the application's {@code MeterRegistry}, and its graceful shutdown.
 *
 * <p>Properties: {@code spindle.workers} (threads, default one per processor) and
 * {@code spindle.shutdown-timeout} (how long the graceful shutdown may take before running
 * tasks are interrupted, default 10 s).
 *
 * <p>Spring calls the bean methods once each, on the thread that refreshes the context, and the
 * destroy callbacks once each, on the thread that closes it.
 */
@Configuration(proxyBeanMethods = false)
public class SpindleConfiguration {

    /** The scheduler bean's pool name: its threads are {@value}-worker-0, -1, ... */
    public static final String POOL_NAME = "spindle-web";

    /**
     * The scheduler handlers publish on. It owns its pool; {@link #spindleSchedulerShutdown}
     * shuts it down, so no destroy method is inferred here.
     *
     * @param workers the pool's threads
     * @return a scheduler on a new pool named {@value #POOL_NAME}
     */
    @Bean(destroyMethod = "")
    public SpindleScheduler spindleScheduler(
            @Value("${spindle.workers:#{T(java.lang.Runtime).getRuntime().availableProcessors()}}") int workers) {
        return SpindleScheduler.create(POOL_NAME, workers);
    }

    /**
     * The pool's metrics as {@code spindle.*} meters tagged {@code pool=spindle-web}: Spring
     * Boot binds every {@code MeterBinder} bean to the application's registries.
     *
     * @param scheduler the scheduler whose pool is measured
     * @return the binder
     */
    @Bean
    public SpindleMetrics spindleMetrics(SpindleScheduler scheduler) {
        return new SpindleMetrics(scheduler.pool());
    }

    /**
     * Shuts the scheduler's pool down when the context closes: by then the web server has
     * stopped taking requests and drained the ones in flight. Depending on the scheduler, this
     * bean is destroyed before it.
     *
     * @param scheduler the scheduler to shut down
     * @param timeout how long the graceful shutdown may take
     * @return the bean that does it
     */
    @Bean
    public GracefulShutdown spindleSchedulerShutdown(SpindleScheduler scheduler,
            @Value("${spindle.shutdown-timeout:10s}") Duration timeout) {
        return new GracefulShutdown(scheduler, timeout);
    }

    /**
     * {@code disposeGracefully()}: accepted tasks finish, new ones are rejected; if that takes
     * longer than {@code timeout}, {@code dispose()} interrupts what still runs. It blocks the
     * closing thread (the main thread or the JVM's shutdown hook), never a pool thread. Called
     * once, by Spring; a second call only waits for the same termination.
     *
     * @param scheduler the scheduler to shut down
     * @param timeout how long to wait for the graceful part
     */
    public record GracefulShutdown(SpindleScheduler scheduler, Duration timeout) implements DisposableBean {

        @Override
        public void destroy() {
            scheduler.disposeGracefully()
                    .timeout(timeout)
                    .onErrorResume(TimeoutException.class, late -> Mono.fromRunnable(scheduler::dispose))
                    .block();
        }
    }
}
