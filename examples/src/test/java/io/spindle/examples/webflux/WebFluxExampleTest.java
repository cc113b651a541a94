package io.spindle.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.UseMainMethod;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.scheduler.Schedulers;

/**
 * The WebFlux example, started through its {@code main} on a random port and driven over HTTP.
 * {@code @DirtiesContext} closes the context after the class, which resets Reactor's factory; the
 * class resets it as well in case the context never started, so later test classes in this JVM
 * get Reactor's own schedulers. What closing the context stops is {@link WebFluxShutdownTest}'s
 * business.
 */
@SpringBootTest(classes = WebFluxExample.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        useMainMethod = UseMainMethod.ALWAYS, properties = "spindle.workers=2")
@DirtiesContext
class WebFluxExampleTest {

    private static final String BEAN_THREAD = SpindleConfiguration.POOL_NAME + "-worker-[01]";
    private static final String PARALLEL_THREAD = "parallel-\\d+";

    @LocalServerPort
    private int port;

    private WebTestClient client;

    @BeforeEach
    void bindToTheServer() {
        client = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void resetReactor() {
        Schedulers.resetFactory();
    }

    @Test
    void fanOutRunsEveryCallOnTheSchedulerBeanAndTheTimerOnSpindlesParallel() {
        final FanOutController.FanOut response = client.get().uri("/fanout?n=8")
                .exchange()
                .expectStatus().isOk()
                .expectBody(FanOutController.FanOut.class)
                .returnResult()
                .getResponseBody();

        assertThat(response).isNotNull();
        assertThat(response.calls()).extracting(FanOutController.Call::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(response.calls()).allSatisfy(call -> {
            assertThat(call.result()).isEqualTo(FanOutController.work(call.index()));
            assertThat(call.thread()).matches(BEAN_THREAD);
            assertThat(call.pool()).isEqualTo(SpindleConfiguration.POOL_NAME);
        });
        assertThat(response.scheduler()).isEqualTo("spindle(2,\"" + SpindleConfiguration.POOL_NAME + "\")");
        assertThat(response.timerThread()).as("Reactor's thread factory names the threads").matches(PARALLEL_THREAD);
        assertThat(response.timerPool()).as("Schedulers.parallel() is a Spindle pool made by the factory").isEqualTo("parallel");
    }

    @Test
    void theDefaultIsFourCalls() {
        client.get().uri("/fanout")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.calls.length()").isEqualTo(4);
    }

    @Test
    void anOutOfRangeFanOutIsABadRequestNamingTheParameterTheValueAndTheRange() {
        client.get().uri("/fanout?n=65")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("n must be in 1..64, was 65");
        client.get().uri("/fanout?n=0")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("n must be in 1..64, was 0");
    }

    @Test
    void actuatorMetricsListSpindlesMetersWithThePoolTag() {
        final Map<String, List<String>> metrics = client.get().uri("/actuator/metrics")
                .exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, List<String>>>() { })
                .returnResult()
                .getResponseBody();

        assertThat(metrics).isNotNull();
        assertThat(metrics.get("names")).contains("spindle.workers", "spindle.tasks.executed", "spindle.worker.steals",
                "spindle.worker.parks", "spindle.worker.stalls", "spindle.inject.queue.depth");
        client.get().uri("/actuator/metrics/spindle.workers?tag=pool:" + SpindleConfiguration.POOL_NAME)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.measurements[0].value").isEqualTo(2.0);
        client.get().uri("/actuator/metrics/spindle.tasks.executed?tag=pool:" + SpindleConfiguration.POOL_NAME)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.measurements[0].value").value(value ->
                        assertThat(((Number) value).doubleValue()).as("tasks the bean's pool ran").isPositive());
    }
}
