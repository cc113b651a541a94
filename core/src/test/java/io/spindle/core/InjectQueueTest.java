package io.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The single-threaded contract of {@link InjectQueue}: every method, every bad argument. */
class InjectQueueTest {

    private final InjectQueue<TestTask> queue = new InjectQueue<>();

    // ---- a new queue ----

    @Test
    void newQueueIsEmptyAndOpen() {
        assertThat(queue.len()).isZero();
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.isClosed()).isFalse();
        assertThat(queue.pop()).isNull();
    }

    // ---- push ----

    @Test
    void pushedTasksArePoppedOldestFirst() {
        assertThat(queue.push(new TestTask(1))).isTrue();
        assertThat(queue.push(new TestTask(2))).isTrue();
        assertThat(queue.push(new TestTask(3))).isTrue();

        assertThat(drain()).containsExactly(1, 2, 3);
    }

    @Test
    void lenAndIsEmptyCountEveryPushAndPop() {
        pushAll(1, 2, 3);
        assertThat(queue.len()).isEqualTo(3);
        assertThat(queue.isEmpty()).isFalse();

        queue.pop();
        assertThat(queue.len()).isEqualTo(2);
        queue.pop();
        queue.pop();
        assertThat(queue.len()).isZero();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void pushOfNullThrowsNamingTheTaskAndLeavesQueueUnchanged() {
        pushAll(1);

        assertThatNullPointerException().isThrownBy(() -> queue.push(null)).withMessage("task");

        assertThat(drain()).containsExactly(1);
    }

    @Test
    void pushOfTaskAlreadyInTheQueueThrowsAndLeavesQueueUnchanged() {
        final TestTask first = new TestTask(1);
        final TestTask last = new TestTask(2);
        queue.push(first);
        queue.push(last);

        assertThatIllegalStateException().isThrownBy(() -> queue.push(first)).withMessageContaining("already in a queue");
        assertThatIllegalStateException().isThrownBy(() -> queue.push(last)).withMessageContaining("already in a queue");

        assertThat(queue.len()).isEqualTo(2);
        assertThat(drain()).containsExactly(1, 2);
    }

    @Test
    void pushOfTaskInAnotherQueueThrowsAndLeavesBothUnchanged() {
        final InjectQueue<TestTask> other = new InjectQueue<>();
        final TestTask task = new TestTask(1);
        other.push(task);

        assertThatIllegalStateException().isThrownBy(() -> queue.push(task));

        assertThat(queue.isEmpty()).isTrue();
        assertThat(other.pop()).isSameAs(task);
        assertThat(other.pop()).isNull();
    }

    @Test
    void pushOfTaskHeldByAnOpenPopThrows() {
        final TestTask task = new TestTask(1);
        queue.push(task);
        queue.push(new TestTask(2));

        try (InjectQueue.Pop<TestTask> pop = queue.popN(2)) {
            assertThatIllegalStateException().isThrownBy(() -> queue.push(task));
            assertThat(pop.next()).isSameAs(task);
            assertThat(pop.next().value).isEqualTo(2);
        }
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void pushOfTaskAlreadyInTheQueueThrowsEvenWhenClosed() {
        final TestTask task = new TestTask(1);
        queue.push(task);
        queue.close();

        // Returning false would tell the caller it still owns a task that the queue will drain.
        assertThatIllegalStateException().isThrownBy(() -> queue.push(task));

        assertThat(drain()).containsExactly(1);
    }

    @Test
    void poppedTaskCanBePushedAgain() {
        final TestTask task = new TestTask(1);
        queue.push(task);
        queue.push(new TestTask(2));

        final TestTask popped = queue.pop();
        assertThat(popped).isSameAs(task);
        assertThat(popped.isUnlinked()).isTrue();
        assertThat(queue.push(popped)).isTrue();

        assertThat(drain()).containsExactly(2, 1);
    }

    @Test
    void taskTakenThroughPopNCanBePushedAgain() {
        pushAll(1, 2, 3);

        try (InjectQueue.Pop<TestTask> pop = queue.popN(2)) {
            final TestTask first = pop.next();
            assertThat(first.isUnlinked()).isTrue();
            assertThat(queue.push(first)).isTrue();
            assertThat(pop.next().value).isEqualTo(2);
        }

        assertThat(drain()).containsExactly(3, 1);
    }

    @Test
    void queueEmptiedByPopAcceptsNewTasksAtItsTail() {
        pushAll(1, 2);
        drain();

        pushAll(3, 4);

        assertThat(drain()).containsExactly(3, 4);
    }

    // ---- pushBatch ----

    @Test
    void pushBatchAppendsTasksInIterationOrderAfterQueuedOnes() {
        pushAll(1);

        assertThat(queue.pushBatch(tasks(2, 3, 4))).isTrue();
        assertThat(queue.len()).isEqualTo(4);
        assertThat(queue.pushBatch(tasks(5))).isTrue();

        assertThat(drain()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void pushBatchIntoEmptyQueueSetsHeadAndTail() {
        assertThat(queue.pushBatch(tasks(1, 2))).isTrue();
        pushAll(3);

        assertThat(drain()).containsExactly(1, 2, 3);
    }

    @Test
    void emptyBatchOnOpenQueueReturnsTrueAndChangesNothing() {
        pushAll(1);

        assertThat(queue.pushBatch(List.of())).isTrue();

        assertThat(queue.len()).isEqualTo(1);
        assertThat(drain()).containsExactly(1);
    }

    @Test
    void emptyBatchOnClosedQueueReturnsFalse() {
        queue.close();

        assertThat(queue.pushBatch(List.of())).isFalse();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void closedQueueRejectsBatchAndKeepsTasks() {
        pushAll(1, 2);
        queue.close();
        final List<TestTask> batch = tasks(3, 4, 5);

        assertThat(queue.pushBatch(batch)).isFalse();

        assertThat(queue.len()).isEqualTo(2);
        assertThat(drain()).containsExactly(1, 2);
        assertRepushableElsewhere(batch);
    }

    @Test
    void pushBatchOfNullThrowsNamingTasks() {
        assertThatNullPointerException().isThrownBy(() -> queue.pushBatch(null)).withMessage("tasks");
        assertThat(queue.isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "null at index {0}")
    @ValueSource(ints = {0, 1, 2})
    void batchWithNullElementIsRejectedWholeNamingTheIndex(int nullIndex) {
        pushAll(1);
        final List<TestTask> batch = Arrays.asList(new TestTask(10), new TestTask(11), new TestTask(12));
        batch.set(nullIndex, null);

        assertThatNullPointerException()
                .isThrownBy(() -> queue.pushBatch(batch))
                .withMessage("tasks[" + nullIndex + "] is null");

        assertThat(queue.len()).isEqualTo(1);
        assertThat(drain()).containsExactly(1);
        assertRepushableElsewhere(withoutNulls(batch));
    }

    @ParameterizedTest(name = "queued task at index {0}")
    @ValueSource(ints = {0, 1, 2})
    void batchWithTaskAlreadyQueuedIsRejectedWhole(int queuedIndex) {
        final TestTask queued = new TestTask(1);
        queue.push(queued);
        pushAll(2);
        final List<TestTask> batch = tasks(10, 11, 12);
        batch.set(queuedIndex, queued);

        assertThatIllegalStateException()
                .isThrownBy(() -> queue.pushBatch(batch))
                .withMessageContaining("tasks[" + queuedIndex + "]")
                .withMessageContaining("already in a queue");

        assertThat(queue.len()).isEqualTo(2);
        assertThat(drain()).containsExactly(1, 2);
        // Drained, the queued task is free again, like every other task of the batch.
        assertRepushableElsewhere(batch);
    }

    @ParameterizedTest(name = "same task at indexes {0} and {1}")
    @CsvSource({"0, 1", "0, 2", "1, 2", "0, 3", "2, 3"})
    void batchWithTheSameTaskTwiceIsRejectedWhole(int firstIndex, int secondIndex) {
        pushAll(1);
        final List<TestTask> batch = tasks(10, 11, 12, 13);
        batch.set(secondIndex, batch.get(firstIndex));

        assertThatIllegalStateException()
                .isThrownBy(() -> queue.pushBatch(batch))
                .withMessageContaining("tasks[" + secondIndex + "]")
                .withMessageContaining("appears twice");

        assertThat(queue.len()).isEqualTo(1);
        assertThat(drain()).containsExactly(1);
        assertRepushableElsewhere(batch.stream().distinct().toList());
    }

    @Test
    void batchWhoseIteratorFailsIsRejectedWhole() {
        pushAll(1);
        final List<TestTask> tasks = tasks(10, 11);
        final Iterable<TestTask> failingAfterTwo = () -> new Iterator<>() {
            private int index;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public TestTask next() {
                if (index == tasks.size()) {
                    throw new IllegalStateException("source failed");
                }
                return tasks.get(index++);
            }
        };

        assertThatThrownBy(() -> queue.pushBatch(failingAfterTwo)).hasMessage("source failed");

        assertThat(drain()).containsExactly(1);
        assertRepushableElsewhere(tasks);
    }

    @Test
    void pushBatchIteratesTheBatchOnce() {
        final List<TestTask> tasks = tasks(1, 2, 3);
        final AtomicInteger iterations = new AtomicInteger();
        final Iterable<TestTask> counting = () -> {
            iterations.incrementAndGet();
            return tasks.iterator();
        };

        assertThat(queue.pushBatch(counting)).isTrue();

        assertThat(iterations).hasValue(1);
        assertThat(drain()).containsExactly(1, 2, 3);
    }

    // ---- pop ----

    @Test
    void popOnEmptyQueueReturnsNull() {
        assertThat(queue.pop()).isNull();
        pushAll(1);
        queue.pop();
        assertThat(queue.pop()).isNull();
        assertThat(queue.len()).isZero();
    }

    // ---- popN ----

    @Test
    void popNOfZeroReturnsAnEmptyPopAndLeavesQueueUnchanged() {
        pushAll(1, 2);

        try (InjectQueue.Pop<TestTask> pop = queue.popN(0)) {
            assertThat(pop.hasNext()).isFalse();
            assertThat(pop.remaining()).isZero();
        }

        assertThat(drain()).containsExactly(1, 2);
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {-1, -128, Integer.MIN_VALUE})
    void popNOfNegativeThrowsNamingNAndLeavesQueueUnchanged(int n) {
        pushAll(1);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> queue.popN(n))
                .withMessageContaining("n must be >= 0")
                .withMessageContaining(Integer.toString(n));

        assertThat(drain()).containsExactly(1);
    }

    @Test
    void popNOfNegativeThrowsOnAnEmptyQueueToo() {
        assertThatIllegalArgumentException().isThrownBy(() -> queue.popN(-1));
    }

    @Test
    void popNOnEmptyQueueReturnsAnEmptyPop() {
        try (InjectQueue.Pop<TestTask> pop = queue.popN(5)) {
            assertThat(pop.hasNext()).isFalse();
            assertThat(pop.remaining()).isZero();
            assertThatThrownBy(pop::next).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void popNTakesTheNOldestInOrderAndLeavesTheRest() {
        pushAll(1, 2, 3, 4, 5);

        final List<Integer> taken = new ArrayList<>();
        try (InjectQueue.Pop<TestTask> pop = queue.popN(3)) {
            assertThat(queue.len()).as("detached tasks are not counted").isEqualTo(2);
            for (int remaining = 3; remaining > 0; remaining--) {
                assertThat(pop.remaining()).isEqualTo(remaining);
                assertThat(pop.hasNext()).isTrue();
                final TestTask task = pop.next();
                assertThat(task.isUnlinked()).isTrue();
                taken.add(task.value);
            }
            assertThat(pop.remaining()).isZero();
            assertThat(pop.hasNext()).isFalse();
        }

        assertThat(taken).containsExactly(1, 2, 3);
        assertThat(queue.len()).isEqualTo(2);
        assertThat(drain()).containsExactly(4, 5);
    }

    @ParameterizedTest(name = "n = {0} with 4 queued")
    @ValueSource(ints = {4, 5, 128, Integer.MAX_VALUE})
    void popNOfLenOrMoreTakesEverything(int n) {
        pushAll(1, 2, 3, 4);

        try (InjectQueue.Pop<TestTask> pop = queue.popN(n)) {
            assertThat(pop.remaining()).isEqualTo(4);
            assertThat(queue.isEmpty()).isTrue();
            assertThat(values(pop)).containsExactly(1, 2, 3, 4);
        }

        pushAll(5, 6);
        assertThat(drain()).containsExactly(5, 6);
    }

    @Test
    void popNOfOneTakesTheHeadOnly() {
        pushAll(1, 2);

        try (InjectQueue.Pop<TestTask> pop = queue.popN(1)) {
            assertThat(values(pop)).containsExactly(1);
        }

        pushAll(3);
        assertThat(drain()).containsExactly(2, 3);
    }

    @Test
    void nextPastTheEndOfAPopThrowsNoSuchElement() {
        pushAll(1, 2);

        try (InjectQueue.Pop<TestTask> pop = queue.popN(2)) {
            pop.next();
            pop.next();
            assertThatThrownBy(pop::next).isInstanceOf(NoSuchElementException.class);
            assertThat(pop.remaining()).isZero();
        }
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void closingAPopEarlyPutsTheRestBackAtTheHeadAheadOfLaterPushes() {
        pushAll(1, 2, 3, 4, 5);

        final InjectQueue.Pop<TestTask> pop = queue.popN(4);
        assertThat(pop.next().value).isEqualTo(1);
        assertThat(queue.push(new TestTask(6))).as("pushes never wait for an open Pop").isTrue();
        assertThat(queue.pushBatch(tasks(7, 8))).isTrue();
        assertThat(queue.len()).isEqualTo(4);

        pop.close();

        assertThat(pop.remaining()).isZero();
        assertThat(pop.hasNext()).isFalse();
        assertThat(queue.len()).as("the put-back tasks count again").isEqualTo(7);
        assertThat(drain()).containsExactly(2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void closingAPopThatTookEverythingRestoresTheTail() {
        pushAll(1, 2, 3);

        try (InjectQueue.Pop<TestTask> pop = queue.popN(3)) {
            pop.next();
        }
        assertThat(queue.len()).isEqualTo(2);
        pushAll(4);

        assertThat(drain()).containsExactly(2, 3, 4);
    }

    @Test
    void closingAnUnconsumedPopPutsEveryTaskBack() {
        pushAll(1, 2, 3);

        try (InjectQueue.Pop<TestTask> pop = queue.popN(2)) {
            assertThat(pop.remaining()).isEqualTo(2);
        }

        assertThat(queue.len()).isEqualTo(3);
        assertThat(drain()).containsExactly(1, 2, 3);
    }

    @Test
    void putBackTasksAreLinkedAgainAndReleasedWhenPoppedAgain() {
        pushAll(1, 2);
        final List<TestTask> taken = new ArrayList<>();
        final InjectQueue.Pop<TestTask> pop = queue.popN(2);
        taken.add(pop.next());
        pop.close();

        final TestTask putBack = queue.pop();
        assertThat(putBack.value).isEqualTo(2);
        assertThat(putBack.isUnlinked()).isTrue();
        taken.add(putBack);
        assertRepushableElsewhere(taken);
    }

    @Test
    void popsClosedOutOfOrderEachPutTheirTasksAtTheHead() {
        pushAll(1, 2, 3, 4, 5);
        final InjectQueue.Pop<TestTask> older = queue.popN(2);
        final InjectQueue.Pop<TestTask> newer = queue.popN(2);

        newer.close();
        assertThat(queue.len()).isEqualTo(3);
        older.close();

        assertThat(drain()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void closingAPopIsIdempotent() {
        pushAll(1, 2, 3);
        final InjectQueue.Pop<TestTask> pop = queue.popN(2);
        pop.next();

        pop.close();
        pop.close();

        assertThat(queue.len()).isEqualTo(2);
        assertThatThrownBy(pop::next).isInstanceOf(NoSuchElementException.class);
        assertThat(drain()).containsExactly(2, 3);
    }

    @Test
    void closingAnExhaustedPopChangesNothing() {
        pushAll(1, 2, 3);
        final InjectQueue.Pop<TestTask> pop = queue.popN(2);
        pop.next();
        pop.next();

        pop.close();

        assertThat(queue.len()).isEqualTo(1);
        assertThat(drain()).containsExactly(3);
    }

    @Test
    void closingAPopAfterTheQueueClosedStillPutsTheTasksBack() {
        pushAll(1, 2, 3);
        final InjectQueue.Pop<TestTask> pop = queue.popN(3);
        pop.next();
        queue.close();

        pop.close();

        assertThat(queue.len()).isEqualTo(2);
        assertThat(drain()).containsExactly(2, 3);
    }

    // ---- close ----

    @Test
    void closeReturnsTrueOnlyForTheCallThatClosed() {
        assertThat(queue.close()).isTrue();
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.close()).isFalse();
        assertThat(queue.close()).isFalse();
        assertThat(queue.isClosed()).isTrue();
    }

    @Test
    void closedQueueRejectsPushAndKeepsTasks() {
        pushAll(1, 2, 3);
        queue.close();
        final TestTask rejected = new TestTask(4);

        assertThat(queue.push(rejected)).isFalse();

        assertThat(rejected.isUnlinked()).isTrue();
        assertThat(queue.len()).isEqualTo(3);
        assertThat(queue.pop().value).isEqualTo(1);
        try (InjectQueue.Pop<TestTask> pop = queue.popN(5)) {
            assertThat(values(pop)).containsExactly(2, 3);
        }
        assertThat(queue.isEmpty()).isTrue();
        assertRepushableElsewhere(List.of(rejected));
    }

    @Test
    void closedQueueStillRejectsNullPush() {
        queue.close();

        assertThatNullPointerException().isThrownBy(() -> queue.push(null)).withMessage("task");
        assertThatNullPointerException().isThrownBy(() -> queue.pushBatch(null)).withMessage("tasks");
    }

    // ---- toString ----

    @Test
    void toStringShowsLenAndClosedState() {
        pushAll(1, 2);
        assertThat(queue).hasToString("InjectQueue[len=2]");
        queue.close();
        assertThat(queue).hasToString("InjectQueue[len=2, closed]");
        try (InjectQueue.Pop<TestTask> pop = queue.popN(2)) {
            assertThat(pop).hasToString("Pop[remaining=2]");
        }
    }

    // ---- helpers ----

    private void pushAll(int... values) {
        for (int value : values) {
            assertThat(queue.push(new TestTask(value))).isTrue();
        }
    }

    /** Pops until empty; every popped task must be unlinked. */
    private List<Integer> drain() {
        final List<Integer> values = new ArrayList<>();
        for (TestTask task = queue.pop(); task != null; task = queue.pop()) {
            assertThat(task.isUnlinked()).as("popped %s is unlinked", task).isTrue();
            values.add(task.value);
        }
        assertThat(queue.len()).isZero();
        assertThat(queue.isEmpty()).isTrue();
        return values;
    }

    private static List<Integer> values(InjectQueue.Pop<TestTask> pop) {
        final List<Integer> values = new ArrayList<>();
        while (pop.hasNext()) {
            values.add(pop.next().value);
        }
        return values;
    }

    private static List<TestTask> tasks(int... values) {
        return new ArrayList<>(IntStream.of(values).mapToObj(TestTask::new).toList());
    }

    private static List<TestTask> withoutNulls(List<TestTask> tasks) {
        return tasks.stream().filter(task -> task != null).toList();
    }

    /** The tasks are in no queue: a fresh queue accepts each alone, and all of them as a batch. */
    private static void assertRepushableElsewhere(List<TestTask> tasks) {
        for (TestTask task : tasks) {
            assertThat(task.isUnlinked()).as("%s is unlinked", task).isTrue();
        }
        final InjectQueue<TestTask> fresh = new InjectQueue<>();
        for (TestTask task : tasks) {
            assertThat(fresh.push(task)).isTrue();
        }
        final InjectQueue<TestTask> freshForBatch = new InjectQueue<>();
        try (InjectQueue.Pop<TestTask> pop = fresh.popN(tasks.size())) {
            assertThat(values(pop)).containsExactlyElementsOf(tasks.stream().map(task -> task.value).toList());
        }
        assertThat(freshForBatch.pushBatch(tasks)).isTrue();
        assertThat(freshForBatch.len()).isEqualTo(tasks.size());
    }
}
