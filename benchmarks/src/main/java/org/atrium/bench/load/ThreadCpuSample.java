package org.atrium.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The CPU time of each of the load generator's threads at one instant, by thread id, with the
 * threads' names. The difference of two finds the busiest thread of a window: a generator whose
 * process uses little of the machine can still be the limit when one of its threads (a pacer
 * that sends for every publisher, a receiver, ice4j's shared STUN threads) runs a whole core.
 *
 * @param cpuNanos CPU time by thread id; empty when the JVM cannot measure thread CPU time, or
 *     when the server's threads run in this process and cannot be told apart
 * @param names the threads' names, by id
 */
record ThreadCpuSample(Map<Long, Long> cpuNanos, Map<Long, String> names) {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static final ThreadCpuSample NONE = new ThreadCpuSample(Map.of(), Map.of());

    /** Every live thread of this process but {@code excluded} (a server's threads that run in it). */
    static ThreadCpuSample take(Set<Long> excluded) {
        if (!THREADS.isThreadCpuTimeSupported() || !THREADS.isThreadCpuTimeEnabled()) {
            return NONE;
        }
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(threads, true);
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (Thread thread : Arrays.asList(threads).subList(0, n)) {
            long id = thread.getId();
            if (excluded.contains(id)) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
                names.put(id, thread.getName());
            }
        }
        return new ThreadCpuSample(Map.copyOf(cpu), Map.copyOf(names));
    }

    /**
     * The thread that used the most CPU from {@code start} to this sample, in % of one core over
     * {@code seconds}; a thread started in the window counts from zero. Null when nothing was
     * measured.
     */
    Busiest busiestSince(ThreadCpuSample start, double seconds) {
        Busiest busiest = null;
        for (Map.Entry<Long, Long> entry : cpuNanos.entrySet()) {
            long used = entry.getValue() - start.cpuNanos.getOrDefault(entry.getKey(), 0L);
            double percent = 100.0 * used / 1e9 / seconds;
            if (busiest == null || percent > busiest.percent()) {
                busiest = new Busiest(names.getOrDefault(entry.getKey(), "thread " + entry.getKey()), percent);
            }
        }
        return busiest;
    }

    /** A thread's name and its CPU in % of one core. */
    record Busiest(String name, double percent) {
    }
}
