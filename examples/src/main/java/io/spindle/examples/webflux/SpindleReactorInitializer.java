package io.spindle.examples.webflux;

import io.spindle.reactor.SpindleScheduler;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import reactor.core.scheduler.Schedulers;

/**
 * Makes Spindle Reactor's default scheduler for the application's lifetime:
 * {@code Schedulers.setFactory(SpindleScheduler.factory())} before the context is refreshed, so
 * {@code Schedulers.parallel()}, every {@code Schedulers.newParallel(...)} and every operator
 * whose default timer is {@code parallel()} ({@code delayElement}, {@code timeout},
 * {@code interval}, ...) run on Spindle; and {@code Schedulers.resetFactory()} when the context
 * closes, after its beans (and so the web server, already stopped) are gone.
 *
 * <h2>Why an initializer</h2>
 * {@code Schedulers.setFactory} disposes the cached {@code parallel()}, {@code single()} and
 * {@code boundedElastic()} schedulers, so whatever captured one of them before (a running
 * {@code interval}, a bean that stored {@code Schedulers.parallel()}) would be left with a dead
 * scheduler. It must therefore run before any bean is created. An
 * {@link ApplicationContextInitializer} runs after the environment is ready and before the
 * context's refresh creates the first bean, it belongs to this application (a static
 * initialiser in {@code main} would not run in a {@code @SpringBootTest} that does not call
 * {@code main}, and could not undo itself on close), and, unlike a
 * {@code SpringApplicationRunListener} or an entry in {@code META-INF/spring.factories}, it is
 * not applied to every Spring application that happens to have this jar on its class path.
 * {@link WebFluxExample#main} adds it; a test gets it by running {@code main}
 * ({@code @SpringBootTest(useMainMethod = ALWAYS)}).
 *
 * <h2>Why the reset is a bean</h2>
 * The reset is a {@link DisposableBean} registered here, ahead of every other bean definition:
 * created first, it is destroyed last, after the web server has drained its requests during the
 * lifecycle stop and after the other beans' own shutdown. A {@code ContextClosedEvent} listener
 * would run first thing in {@code close()}, while a graceful shutdown may still be serving
 * requests on {@code parallel()}.
 *
 * <p>{@code Schedulers.setFactory} is global to the JVM (to Reactor's class loader): two
 * applications in one JVM would share, and reset, one factory.
 */
public final class SpindleReactorInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The name of the bean that resets Reactor's factory when the context closes. */
    public static final String RESET_BEAN_NAME = "spindleReactorFactoryReset";

    /**
     * Installs Spindle's factory and registers its reset.
     *
     * @param context the context about to be refreshed; must be a {@link GenericApplicationContext}
     *     (every context Spring Boot creates is one)
     * @throws IllegalArgumentException if {@code context} is not a {@code GenericApplicationContext},
     *     before anything is installed
     */
    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!(context instanceof GenericApplicationContext generic)) {
            throw new IllegalArgumentException("context must be a GenericApplicationContext (as Spring Boot's are), was "
                    + context.getClass().getName());
        }
        Schedulers.setFactory(SpindleScheduler.factory());
        generic.registerBean(RESET_BEAN_NAME, FactoryReset.class, FactoryReset::new);
    }

    /** Puts Reactor's own factory back, disposing the Spindle schedulers it made. */
    static final class FactoryReset implements DisposableBean {
        @Override
        public void destroy() {
            Schedulers.resetFactory();
        }
    }
}
