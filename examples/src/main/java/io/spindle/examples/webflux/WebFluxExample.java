package io.spindle.examples.webflux;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring WebFlux application on Spindle: Reactor's default schedulers are Spindle
 * ({@link SpindleReactorInitializer}), handlers {@code publishOn} a Spindle scheduler bean whose
 * pool metrics are in {@code /actuator/metrics} ({@link SpindleConfiguration}), and
 * {@code GET /fanout?n=4} ({@link FanOutController}) shows which threads a request ran on.
 *
 * <p>Run it with
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=io.spindle.examples.webflux.WebFluxExample}
 * (port 8080; add {@code -Dexec.args=--server.port=9090} for another), then
 * {@code curl localhost:8080/fanout?n=4} and {@code curl localhost:8080/actuator/metrics/spindle.tasks.executed}.
 * Ctrl-C stops it: the server drains, the scheduler bean's pool shuts down gracefully and
 * Reactor's factory is reset.
 *
 * <p>One application per JVM: it installs Reactor's JVM-wide scheduler factory.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class WebFluxExample {

    /**
     * Starts the application with Spindle's Reactor factory installed before the context is
     * refreshed.
     *
     * @param args Spring Boot arguments, for example {@code --server.port=9090}
     */
    public static void main(String[] args) {
        start(args);
    }

    /**
     * Starts the application as {@link #main} does and returns its context; closing the context
     * stops the server, shuts the Spindle pools down and resets Reactor's factory.
     *
     * @param args Spring Boot arguments
     * @return the running application's context
     */
    public static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(WebFluxExample.class)
                .initializers(new SpindleReactorInitializer())
                .run(args);
    }
}
