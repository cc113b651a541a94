/**
 * A Spring WebFlux application on Spindle: {@link io.spindle.examples.webflux.WebFluxExample}
 * (the main class), {@link io.spindle.examples.webflux.SpindleReactorInitializer} (Reactor's
 * default schedulers), {@link io.spindle.examples.webflux.SpindleConfiguration} (the scheduler
 * bean, its metrics and its shutdown) and {@link io.spindle.examples.webflux.FanOutController}
 * ({@code GET /fanout}).
 */
package io.spindle.examples.webflux;
