package org.atrium.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the server's CPU time and forwarded-packet count: CPU from {@code /proc/PID/stat}
 * when the server's PID is known (user + system time of the whole process), otherwise from
 * {@code process_cpu_seconds_total} on {@code /metrics}; forwarded packets from
 * {@code atrium_forwarded_packets_total} (summed over kinds). NaN / -1 when not available.
 */
final class ServerProbe {

    /** Linux's USER_HZ, the unit of /proc/PID/stat times; 100 on every common platform. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final HttpClient client;
    private final URI metrics;
    private final long pid;

    ServerProbe(HttpClient client, URI httpBase, long pid) {
        this.client = client;
        this.metrics = httpBase.resolve("/metrics");
        this.pid = pid;
    }

    void addTo(LoadSnapshot.Builder snapshot) {
        String text = fetchMetrics();
        snapshot.serverCpuSeconds = pid > 0 ? procCpuSeconds(pid) : sum(text, "process_cpu_seconds_total");
        double forwarded = sum(text, "atrium_forwarded_packets_total");
        snapshot.serverForwarded = Double.isNaN(forwarded) ? -1 : (long) forwarded;
    }

    private String fetchMetrics() {
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
        if (text == null) {
            return Double.NaN;
        }
        double total = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(name) && (line.charAt(name.length()) == ' ' || line.charAt(name.length()) == '{')) {
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
