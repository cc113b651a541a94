package io.spindle.core;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kotlin.Unit;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.lincheck.datastructures.DSLThreadScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link InjectQueue} against {@link Model}, a plain {@link ArrayDeque}:
 * Lincheck's model checker explores interleavings of every switch point of the queue (its lock
 * CAS, the acquire load of {@code len}, the plain link accesses), and its stress mode runs random
 * scenarios on real threads.
 *
 * <p>Tasks are intrusive, so every pushing operation makes fresh tasks; operations return the
 * tasks' values so that results compare by value.
 *
 * <p>A {@link InjectQueue.Pop} that is closed early is not one atomic operation: between
 * {@code popN} detaching the chain and {@code close} splicing the rest back, other threads see
 * the queue without those tasks (and may see it empty). So the early-close case is checked as
 * two operations, {@link #popNTakeOneAndHold} and {@link #closeHeldPop}, each atomic, with the
 * open {@code Pop} kept per Lincheck thread ({@link ThreadIdGen}) in the queue and in the model.
 *
 * <p>The queue's lock spins ({@link Thread#onSpinWait()}, then {@link Thread#yield()}); the model
 * checker recognises the spin loop and switches to the holder. Obstruction freedom is not
 * checked (it is off by default): a waiter on a lock is, by design, not obstruction-free.
 *
 * <p>Cost: random scenarios seldom put a held Pop's close next to a racing push, so the model
 * check adds three fixed scenarios for the races that matter; without them it missed an unlocked
 * {@code pushFront}. Iterations and invocations are sized for about half a minute for the
 * class on two idle cores. A failing run takes longer: Lincheck then minimises the scenario.
 */
@Param(name = "value", gen = IntGen.class, conf = "1:9")
@Param(name = "n", gen = IntGen.class, conf = "0:3")
@Param(name = "positiveN", gen = IntGen.class, conf = "1:3")
public class InjectQueueLincheckTest {

    /** Returned by {@link #popNTakeOneAndHold} when the calling thread already holds a Pop. */
    static final int ALREADY_HOLDING = -1;

    /** Lincheck's thread ids: 0 for the init part, 1..threads, threads + 1 for the post part. */
    private static final int THREAD_IDS = 8;

    private final InjectQueue<TestTask> queue = new InjectQueue<>();

    /** Each Lincheck thread's open Pop, by thread id; each slot is used by one thread only. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final InjectQueue.Pop<TestTask>[] held = new InjectQueue.Pop[THREAD_IDS];

    @Operation
    public boolean push(@Param(name = "value") int value) {
        return queue.push(new TestTask(value));
    }

    @Operation
    public boolean pushBatch(@Param(name = "value") int first, @Param(name = "value") int second) {
        return queue.pushBatch(List.of(new TestTask(first), new TestTask(second)));
    }

    @Operation
    public Integer pop() {
        final TestTask task = queue.pop();
        return task == null ? null : task.value;
    }

    @Operation
    public List<Integer> popN(@Param(name = "n") int n) {
        final List<Integer> values = new ArrayList<>();
        try (InjectQueue.Pop<TestTask> pop = queue.popN(n)) {
            while (pop.hasNext()) {
                values.add(pop.next().value);
            }
        }
        return values;
    }

    /**
     * Takes up to {@code n} tasks, consumes the first and keeps the open Pop for
     * {@link #closeHeldPop}.
     *
     * @return the consumed task's value, {@code null} if the queue was empty, or
     *     {@link #ALREADY_HOLDING} (queue untouched) if this thread holds a Pop already
     */
    @Operation
    public Integer popNTakeOneAndHold(@Param(gen = ThreadIdGen.class) int threadId, @Param(name = "positiveN") int n) {
        if (held[threadId] != null) {
            return ALREADY_HOLDING;
        }
        final InjectQueue.Pop<TestTask> pop = queue.popN(n);
        if (!pop.hasNext()) {
            return null;
        }
        final int value = pop.next().value;
        held[threadId] = pop;
        return value;
    }

    /** Closes this thread's held Pop, if any; returns how many tasks it put back. */
    @Operation
    public int closeHeldPop(@Param(gen = ThreadIdGen.class) int threadId) {
        final InjectQueue.Pop<TestTask> pop = held[threadId];
        if (pop == null) {
            return 0;
        }
        held[threadId] = null;
        final int remaining = pop.remaining();
        pop.close();
        return remaining;
    }

    @Operation
    public boolean close() {
        return queue.close();
    }

    @Operation
    public int len() {
        return queue.len();
    }

    @Test
    void modelCheckingFindsEveryInterleavingLinearizable() {
        final ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(400)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Model.class);
        // Fixed scenarios for the races random ones seldom line up (see the class comment);
        // the parallel part's thread ids are 1 and 2.
        // A Pop closed early while another thread pushes and pops.
        addScenario(options,
                List.of(call("pushBatch", 1, 2), call("push", 3)),
                List.of(List.of(call("popNTakeOneAndHold", 1, 2), call("closeHeldPop", 1)),
                        List.of(call("push", 4), call("pop"), call("len"))),
                List.of(call("popN", 3)));
        // Two threads taking batches while one is put back.
        addScenario(options,
                List.of(call("pushBatch", 1, 2), call("pushBatch", 3, 4)),
                List.of(List.of(call("popNTakeOneAndHold", 1, 3), call("closeHeldPop", 1)),
                        List.of(call("popN", 2), call("pop"))),
                List.of(call("popN", 3)));
        // A batch and a push racing close and a drain.
        addScenario(options,
                List.of(call("push", 1)),
                List.of(List.of(call("pushBatch", 2, 3), call("push", 4)),
                        List.of(call("close"), call("popN", 3), call("len"))),
                List.of(call("pop"), call("pop")));
        options.check(InjectQueueLincheckTest.class);
    }

    @Test
    void stressRunsAreLinearizable() {
        new StressOptions()
                .iterations(5)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(4)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Model.class)
                .check(InjectQueueLincheckTest.class);
    }

    /** One operation of this class, by name, with its arguments. */
    private record Call(String operation, Object... arguments) {}

    private static Call call(String operation, Object... arguments) {
        return new Call(operation, arguments);
    }

    private static void addScenario(ModelCheckingOptions options, List<Call> initial, List<List<Call>> parallel, List<Call> post) {
        options.addCustomScenario(scenario -> {
            scenario.initial(thread -> addCalls(thread, initial));
            scenario.parallel(threads -> {
                parallel.forEach(calls -> threads.thread(thread -> addCalls(thread, calls)));
                return Unit.INSTANCE;
            });
            scenario.post(thread -> addCalls(thread, post));
            return Unit.INSTANCE;
        });
    }

    private static Unit addCalls(DSLThreadScenario thread, List<Call> calls) {
        for (Call call : calls) {
            final Method operation = Arrays.stream(InjectQueueLincheckTest.class.getDeclaredMethods())
                    .filter(method -> method.getName().equals(call.operation()) && method.isAnnotationPresent(Operation.class))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no operation " + call.operation()));
            thread.actor(Objects.requireNonNull(ReflectJvmMapping.getKotlinFunction(operation)), call.arguments());
        }
        return Unit.INSTANCE;
    }

    /** The sequential specification: a deque, a closed flag and each thread's held Pop. */
    public static final class Model {
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();
        private final Map<Integer, ArrayDeque<Integer>> held = new HashMap<>();
        private boolean closed;

        public boolean push(int value) {
            if (closed) {
                return false;
            }
            queue.addLast(value);
            return true;
        }

        public boolean pushBatch(int first, int second) {
            if (closed) {
                return false;
            }
            queue.addLast(first);
            queue.addLast(second);
            return true;
        }

        public Integer pop() {
            return queue.pollFirst();
        }

        public List<Integer> popN(int n) {
            final List<Integer> values = new ArrayList<>();
            while (values.size() < n && !queue.isEmpty()) {
                values.add(queue.pollFirst());
            }
            return values;
        }

        public Integer popNTakeOneAndHold(int threadId, int n) {
            if (held.containsKey(threadId)) {
                return ALREADY_HOLDING;
            }
            final ArrayDeque<Integer> taken = new ArrayDeque<>(popN(n));
            final Integer value = taken.pollFirst();
            if (value != null) {
                held.put(threadId, taken);
            }
            return value;
        }

        public int closeHeldPop(int threadId) {
            final ArrayDeque<Integer> rest = held.remove(threadId);
            if (rest == null) {
                return 0;
            }
            final int remaining = rest.size();
            while (!rest.isEmpty()) {
                queue.addFirst(rest.pollLast());
            }
            return remaining;
        }

        public boolean close() {
            final boolean wasOpen = !closed;
            closed = true;
            return wasOpen;
        }

        public int len() {
            return queue.size();
        }
    }
}
