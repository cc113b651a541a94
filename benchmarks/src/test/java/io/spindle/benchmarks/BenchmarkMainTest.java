package io.spindle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchmarkMainTest {

    @Test
    void plainArgumentsAreNotQuoted() {
        assertThat(BenchmarkMain.shellQuote("InjectQueueBenchmark")).isEqualTo("InjectQueueBenchmark");
        assertThat(BenchmarkMain.shellQuote("-p")).isEqualTo("-p");
        assertThat(BenchmarkMain.shellQuote("queue=InjectQueue,ConcurrentLinkedQueue"))
                .isEqualTo("queue=InjectQueue,ConcurrentLinkedQueue");
    }

    @Test
    void argumentsTheShellWouldSplitOrExpandAreQuoted() {
        assertThat(BenchmarkMain.shellQuote("push(Pop|Batch)")).isEqualTo("'push(Pop|Batch)'");
        assertThat(BenchmarkMain.shellQuote("it's")).isEqualTo("'it'\\''s'");
        assertThat(BenchmarkMain.shellQuote("")).isEqualTo("''");
    }
}
