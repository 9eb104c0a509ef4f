package org.atrium.bench.live;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The server's JFR recording of {@code benchmarks/live-room.sh --profile}, read for one window of
 * time and printed as Markdown: hot methods of the execution samples (self and, for Atrium's own
 * methods, inclusive), samples per thread, the allocation rate (per-thread allocation counters)
 * and the allocation sites (allocation samples, weighted), and the collections.
 *
 * <p>JDK classes only, so that it runs from source without a build:
 * {@code java LiveRoomProfile.java server.jfr START_EPOCH_MS END_EPOCH_MS [TOP]}.
 */
public final class LiveRoomProfile {

    private LiveRoomProfile() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: LiveRoomProfile FILE.jfr START_EPOCH_MS END_EPOCH_MS [TOP]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        Instant start = Instant.ofEpochMilli(Long.parseLong(args[1]));
        Instant end = Instant.ofEpochMilli(Long.parseLong(args[2]));
        int top = args.length > 3 ? Integer.parseInt(args[3]) : 25;
        new LiveRoomProfile().read(file, start, end).print(top, (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
    }

    private final Map<String, Long> self = new HashMap<>();
    private final Map<String, Long> inclusive = new HashMap<>();
    private final Map<String, Long> samplesByThread = new HashMap<>();
    private final Map<String, Map<String, Long>> selfByThread = new HashMap<>();
    private long samples;
    private final Map<String, Long> allocBySite = new HashMap<>();
    private final Map<String, Long> allocByClass = new HashMap<>();
    private final Map<String, Long> allocSampledByThread = new HashMap<>();
    private long allocSampledBytes;
    private long allocSamples;
    /** thread id -> [first time ms, first allocated, last time ms, last allocated] within the window */
    private final Map<Long, long[]> threadAlloc = new HashMap<>();
    private final Map<Long, String> threadNames = new HashMap<>();
    private int collections;
    private double pauseMillis;
    private final Map<String, Integer> collectionsByName = new HashMap<>();
    private long heapAfterGcMax;
    private double jvmCpuSum;
    private double machineCpuSum;
    private int cpuLoads;

    private LiveRoomProfile read(Path file, Instant start, Instant end) throws IOException {
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                Instant time = event.getStartTime();
                if (time.isBefore(start) || time.isAfter(end)) {
                    continue;
                }
                switch (event.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> executionSample(event);
                    case "jdk.ObjectAllocationSample" -> allocationSample(event);
                    case "jdk.ThreadAllocationStatistics" -> threadAllocation(event);
                    case "jdk.GarbageCollection" -> {
                        collections++;
                        pauseMillis += event.getDuration("sumOfPauses").toNanos() / 1e6;
                        collectionsByName.merge(event.getString("name"), 1, Integer::sum);
                    }
                    case "jdk.GCHeapSummary" -> {
                        if ("After GC".equals(event.getString("when"))) {
                            heapAfterGcMax = Math.max(heapAfterGcMax, event.getLong("heapUsed"));
                        }
                    }
                    case "jdk.CPULoad" -> {
                        jvmCpuSum += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                        machineCpuSum += event.getFloat("machineTotal");
                        cpuLoads++;
                    }
                    default -> { }
                }
            }
        }
        return this;
    }

    private void executionSample(RecordedEvent event) {
        samples++;
        RecordedThread thread = event.getThread("sampledThread");
        samplesByThread.merge(threadGroup(thread), 1L, Long::sum);
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
            self.merge("(no stack)", 1L, Long::sum);
            return;
        }
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(method(frames.get(0)), 1L, Long::sum);
        selfByThread.computeIfAbsent(threadGroup(thread), k -> new HashMap<>()).merge(method(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
            String m = method(frame);
            if (m.startsWith("org.atrium.") && seen.add(m)) {
                inclusive.merge(m, 1L, Long::sum);
            }
        }
    }

    private void allocationSample(RecordedEvent event) {
        long weight = event.getLong("weight");
        allocSamples++;
        allocSampledBytes += weight;
        String type = event.getClass("objectClass") == null ? "?" : event.getClass("objectClass").getName();
        allocByClass.merge(type, weight, Long::sum);
        allocSampledByThread.merge(threadGroup(event.getThread("eventThread")), weight, Long::sum);
        RecordedStackTrace stack = event.getStackTrace();
        String site = "(no stack)";
        if (stack != null && !stack.getFrames().isEmpty()) {
            List<RecordedFrame> frames = stack.getFrames();
            String first = method(frames.get(0));
            String own = null;
            for (RecordedFrame frame : frames) {
                String m = method(frame);
                if (m.startsWith("org.atrium.")) {
                    own = m + ":" + frame.getLineNumber();
                    break;
                }
            }
            site = own == null ? first : (own.startsWith(first + ":") ? own : first + " <- " + own);
        }
        allocBySite.merge(type + " | " + site, weight, Long::sum);
    }

    private void threadAllocation(RecordedEvent event) {
        RecordedThread thread = event.getThread("thread");
        if (thread == null) {
            return;
        }
        long id = thread.getId();
        threadNames.put(id, threadGroup(thread));
        long t = event.getStartTime().toEpochMilli();
        long allocated = event.getLong("allocated");
        long[] a = threadAlloc.computeIfAbsent(id, k -> new long[] {t, allocated, t, allocated});
        if (t < a[0]) {
            a[0] = t;
            a[1] = allocated;
        }
        if (t > a[2]) {
            a[2] = t;
            a[3] = allocated;
        }
    }

    private static String threadGroup(RecordedThread thread) {
        if (thread == null) {
            return "?";
        }
        String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        return name == null ? "?" : name.replaceAll("(?<=[-#@_:./ ])[0-9]+", "N");
    }

    private static String method(RecordedFrame frame) {
        RecordedMethod m = frame.getMethod();
        if (m == null) {
            return "?";
        }
        return m.getType().getName() + "." + m.getName();
    }

    private void print(int top, double seconds) {
        System.out.printf(Locale.ROOT, "Server profile (JFR, settings=profile) over the same window of %.1f s:%n%n", seconds);
        System.out.printf(Locale.ROOT,
                "Execution samples: %d (JFR samples threads running Java code every 10 ms; time in native code and "
                        + "system calls, such as the socket sends and receives, is not in them)%s.%n%n",
                samples,
                cpuLoads == 0 ? "" : String.format(Locale.ROOT,
                        "; JFR's CPU load over the window: JVM %.1f %% of the machine, machine %.1f %%",
                        100 * jvmCpuSum / cpuLoads, 100 * machineCpuSum / cpuLoads));
        System.out.println("| # | hot method (self, top frame) | samples | % |");
        System.out.println("|---:|---|---:|---:|");
        int i = 0;
        for (Map.Entry<String, Long> e : sorted(self)) {
            if (++i > top) {
                break;
            }
            System.out.printf(Locale.ROOT, "| %d | `%s` | %d | %.1f |%n", i, e.getKey(), e.getValue(), pct(e.getValue(), samples));
        }
        System.out.println();
        System.out.println("| Atrium method (inclusive: on the stack) | samples | % |");
        System.out.println("|---|---:|---:|");
        i = 0;
        for (Map.Entry<String, Long> e : sorted(inclusive)) {
            if (++i > 15) {
                break;
            }
            System.out.printf(Locale.ROOT, "| `%s` | %d | %.1f |%n", e.getKey(), e.getValue(), pct(e.getValue(), samples));
        }
        System.out.println();
        System.out.println("| thread (execution samples) | samples | % | its top methods (self samples) |");
        System.out.println("|---|---:|---:|---|");
        i = 0;
        for (Map.Entry<String, Long> e : sorted(samplesByThread)) {
            if (++i > 10) {
                break;
            }
            List<String> methods = new ArrayList<>();
            int j = 0;
            for (Map.Entry<String, Long> m : sorted(selfByThread.getOrDefault(e.getKey(), Map.of()))) {
                if (++j > (i <= 3 ? 5 : 2)) {
                    break;
                }
                String name = m.getKey();
                int dot = name.lastIndexOf('.', name.lastIndexOf('.') - 1);
                methods.add("`" + (dot < 0 ? name : name.substring(dot + 1)) + "` " + m.getValue());
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %s |%n", e.getKey(), e.getValue(), pct(e.getValue(), samples),
                    String.join(", ", methods));
        }
        System.out.println();

        long measured = 0;
        double measuredSeconds = 0;
        Map<String, Long> byThread = new HashMap<>();
        for (Map.Entry<Long, long[]> e : threadAlloc.entrySet()) {
            long[] a = e.getValue();
            long bytes = a[3] - a[1];
            measured += bytes;
            measuredSeconds = Math.max(measuredSeconds, (a[2] - a[0]) / 1000.0);
            byThread.merge(threadNames.get(e.getKey()), bytes, Long::sum);
        }
        if (measuredSeconds > 0) {
            System.out.printf(Locale.ROOT,
                    "Allocation: %s/s over %.1f s (per-thread allocation counters, once a second). ",
                    bytes(measured / measuredSeconds), measuredSeconds);
        } else {
            System.out.print("Allocation: no per-thread allocation counters in the window. ");
        }
        System.out.printf(Locale.ROOT,
                "Allocation samples: %d, weighing %s (%s/s). Collections in the window: %d%s, %.1f ms of pauses in all; "
                        + "heap after GC at most %s.%n%n",
                allocSamples, bytes(allocSampledBytes), bytes(allocSampledBytes / seconds), collections,
                collectionsByName.isEmpty() ? "" : " " + collectionsByName, pauseMillis, bytes(heapAfterGcMax));
        if (!byThread.isEmpty()) {
            System.out.println("| thread (allocation counters) | bytes in the window | per second |");
            System.out.println("|---|---:|---:|");
            i = 0;
            for (Map.Entry<String, Long> e : sorted(byThread)) {
                if (++i > 8 || e.getValue() <= 0) {
                    break;
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", e.getKey(), bytes(e.getValue()),
                        bytes(e.getValue() / measuredSeconds));
            }
            System.out.println();
        }
        System.out.println("| allocated type | allocation site (top frame <- first Atrium frame:line) | sampled weight | % |");
        System.out.println("|---|---|---:|---:|");
        i = 0;
        for (Map.Entry<String, Long> e : sorted(allocBySite)) {
            if (++i > 15) {
                break;
            }
            String[] parts = e.getKey().split(" \\| ", 2);
            System.out.printf(Locale.ROOT, "| `%s` | `%s` | %s | %.1f |%n", parts[0], parts[1], bytes(e.getValue()),
                    pct(e.getValue(), allocSampledBytes));
        }
        System.out.println();
        List<String> types = new ArrayList<>();
        i = 0;
        for (Map.Entry<String, Long> e : sorted(allocByClass)) {
            if (++i > 8) {
                break;
            }
            types.add(String.format(Locale.ROOT, "`%s` %.1f %%", e.getKey(), pct(e.getValue(), allocSampledBytes)));
        }
        System.out.println("Allocated types (sampled weight): " + String.join(", ", types) + ".");
    }

    private static List<Map.Entry<String, Long>> sorted(Map<String, Long> map) {
        List<Map.Entry<String, Long>> list = new ArrayList<>(map.entrySet());
        list.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        return list;
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static String bytes(double b) {
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MB", b / (1 << 20));
        }
        if (b >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KB", b / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }
}
