package io.spindle.reactor;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.spindle.core.WorkStealingPool;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Bad arguments to the public factory methods fail at the call, naming the argument and the accepted range. */
class SpindleSchedulerArgumentsTest {

    @Test
    void createRejectsABadNameNamingIt() {
        assertThatNullPointerException().isThrownBy(() -> SpindleScheduler.create(null, 2)).withMessageContaining("name");
        assertThatIllegalArgumentException().isThrownBy(() -> SpindleScheduler.create(" ", 2)).withMessageContaining("name");
    }

    @Test
    void createRejectsAWorkerCountOutOfRangeNamingTheRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> SpindleScheduler.create("x", 0))
                .withMessageContaining("workers").withMessageContaining("1..").withMessageContaining("0");
        assertThatIllegalArgumentException().isThrownBy(() -> SpindleScheduler.create("x", WorkStealingPool.MAX_WORKERS + 1))
                .withMessageContaining("workers").withMessageContaining(String.valueOf(WorkStealingPool.MAX_WORKERS + 1));
    }

    @Test
    void wrapRejectsANullPool() {
        assertThatNullPointerException().isThrownBy(() -> SpindleScheduler.wrap(null)).withMessageContaining("pool");
    }

    @Test
    void factoryRejectsAParallelismOutOfRangeNamingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SpindleScheduler.factory().newParallel(0, Executors.defaultThreadFactory()))
                .withMessageContaining("0");
        assertThatNullPointerException()
                .isThrownBy(() -> SpindleScheduler.factory().newParallel(2, null))
                .withMessageContaining("threadFactory");
    }
}
