package io.spindle.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spindle.reactor.SpindleScheduler;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Closing the WebFlux example's context (started with {@link WebFluxExample#start}, as
 * {@code main} starts it) ends every Spindle thread it started and gives Reactor its own
 * factory back.
 */
class WebFluxShutdownTest {

    private static final String BEAN_THREADS = SpindleConfiguration.POOL_NAME + "-";
    private static final String PARALLEL_THREAD = "parallel-\\d+";

    @AfterEach
    void resetReactor() {
        Schedulers.resetFactory();
    }

    @Test
    void closingTheContextEndsEverySpindleThreadAndResetsReactorsFactory() {
        final ConfigurableApplicationContext context = WebFluxExample.start("--server.port=0", "--spindle.workers=2");
        final Set<Thread> spindleThreads;
        try {
            final int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(10)).build()
                    .get().uri("/fanout?n=8").exchange().expectStatus().isOk();
            assertThat(Schedulers.newParallel("probe", 1)).as("the factory is installed").isInstanceOf(SpindleScheduler.class)
                    .satisfies(Scheduler::dispose);
            spindleThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith(BEAN_THREADS) || thread.getName().matches(PARALLEL_THREAD))
                    .collect(Collectors.toSet());
            assertThat(spindleThreads).extracting(Thread::getName)
                    .as("the bean's pool (workers, timer) and the factory's parallel() ran the request")
                    .anyMatch(name -> name.matches(BEAN_THREADS + "worker-[01]"))
                    .anyMatch(name -> name.matches(PARALLEL_THREAD));
        } finally {
            context.close();
        }

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(spindleThreads).filteredOn(Thread::isAlive).extracting(Thread::getName).isEmpty());
        final Scheduler probe = Schedulers.newParallel("probe", 1);
        try {
            assertThat(probe).as("Reactor's own factory is back").isNotInstanceOf(SpindleScheduler.class);
        } finally {
            probe.dispose();
        }
    }
}
