package org.atrium.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Reads the servers' CPU time, forwarded-packet and relayed-packet counts, summed over the
 * nodes of a cluster (one node without): CPU from {@code /proc/PID/stat} when the nodes'
 * PIDs are known (user + system time of each whole process), otherwise from
 * {@code process_cpu_seconds_total} on each node's {@code /metrics}; forwarded packets from
 * {@code atrium_forwarded_packets_total} (summed over kinds); packets sent to other nodes
 * from {@code atrium_relay_packets_total{direction="sent"}}; the forwarding delay's buckets
 * ({@link ServerLatency}). A node given twice is read
 * once. NaN / -1 when a node does not answer or lacks the metric.
 */
final class ServerProbe {

    /** Linux's USER_HZ, the unit of /proc/PID/stat times; 100 on every common platform. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final HttpClient client;
    private final List<URI> metrics;
    private final List<Long> pids;

    /**
     * @param httpBases each node's HTTP base
     * @param pids each node's PID, or none to read CPU time from /metrics
     */
    ServerProbe(HttpClient client, List<URI> httpBases, List<Long> pids) {
        this.client = client;
        this.metrics = httpBases.stream().map(base -> base.resolve("/metrics")).distinct().toList();
        this.pids = pids.stream().distinct().toList();
    }

    void addTo(LoadSnapshot.Builder snapshot) {
        List<String> texts = metrics.stream().map(this::fetchMetrics).toList();
        snapshot.serverCpuSeconds = pids.isEmpty()
                ? total(texts, text -> sum(text, "process_cpu_seconds_total"))
                : total(pids, ServerProbe::procCpuSeconds);
        double forwarded = total(texts, text -> sum(text, "atrium_forwarded_packets_total"));
        snapshot.serverForwarded = Double.isNaN(forwarded) ? -1 : (long) forwarded;
        double relayed = total(texts, text -> sum(text, "atrium_relay_packets_total", "direction=\"sent\""));
        snapshot.serverRelayed = Double.isNaN(relayed) ? -1 : (long) relayed;
        snapshot.serverLatency = ServerLatency.parse(texts);
    }

    /** The sum over nodes; NaN when a node has no value, since a partial sum would pass for a drop. */
    private static <T> double total(List<T> sources, ToDoubleFunction<T> read) {
        double total = 0;
        for (T source : sources) {
            total += read.applyAsDouble(source);
        }
        return total;
    }

    private String fetchMetrics(URI metrics) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(metrics)
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The sum of a metric's samples over all its label sets, or NaN when absent. */
    static double sum(String text, String name) {
        return sum(text, name, null);
    }

    /**
     * The sum of a metric's samples whose label set holds {@code label} (as written,
     * {@code direction="sent"}), over all label sets when null; NaN when there is none.
     */
    static double sum(String text, String name, String label) {
        if (text == null) {
            return Double.NaN;
        }
        double total = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(name) && line.length() > name.length()
                    && (line.charAt(name.length()) == ' ' || line.charAt(name.length()) == '{')
                    && (label == null || labels(line, name).contains(label))) {
                String value = line.substring(line.lastIndexOf(' ') + 1);
                try {
                    total += Double.parseDouble(value);
                    found = true;
                } catch (NumberFormatException e) {
                    // a sample with a timestamp or an odd value: skip it
                }
            }
        }
        return found ? total : Double.NaN;
    }

    private static String labels(String line, String name) {
        int end = line.indexOf('}', name.length());
        return line.charAt(name.length()) == '{' && end > 0 ? line.substring(name.length(), end + 1) : "";
    }

    /** utime + stime of a process, fields 14 and 15 of /proc/PID/stat (proc(5)). */
    static double procCpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces; fields are counted after its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
