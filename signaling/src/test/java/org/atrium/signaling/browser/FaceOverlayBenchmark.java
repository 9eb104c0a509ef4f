package org.atrium.signaling.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (tag "benchmark", never in the default or browser runs): the face
 * overlay's detections per second per tile, and the receiving browser's CPU with the overlay off
 * and on, with one tile and with four. One page publishes the astronaut ({@link FaceVideo}); the
 * receiving page shows it in its tile and, for four tiles, in three more tiles that play the same
 * received stream (so the browser decodes one stream in both cases: the difference is the
 * overlay's work, not more decoding). Each phase is measured over {@value #WINDOW_SECONDS} s.
 * Run as benchmarks/README.md says:
 *
 * <pre>
 * SE_AVOID_STATS=true SE_OFFLINE=true unshare -n sh -c 'ip link set lo up &amp;&amp; \
 *   mvn -o -B -Pbrowser-benchmark -pl signaling test -Dtest=FaceOverlayBenchmark'
 * </pre>
 */
@Tag("benchmark")
class FaceOverlayBenchmark extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final int WINDOW_SECONDS = 20;

    /**
     * {@code window.bench}: tiles (the received one, and clones playing its stream), overlays on
     * them, detections counted from the tiles' data-detections, and the main thread's long tasks.
     */
    private static final String HARNESS = """
            window.bench = {
              tiles: [], overlays: [], longTasks: 0, longTaskMs: 0, FaceOverlay: null,
              async init(video) {
                bench.FaceOverlay = (await import('/face/face-overlay.js')).FaceOverlay;
                bench.tiles = [video.parentElement];
                new PerformanceObserver(list => list.getEntries().forEach(e => {
                  bench.longTasks++; bench.longTaskMs += e.duration; })).observe({ entryTypes: ['longtask'] });
              },
              addTiles(count) {
                const first = bench.tiles[0], source = first.querySelector('video');
                for (let i = 0; i < count; i++) {
                  const tile = document.createElement('figure');
                  tile.className = first.className;
                  const video = document.createElement('video');
                  video.autoplay = true; video.muted = true; video.playsInline = true;
                  video.srcObject = source.srcObject;
                  tile.append(video);
                  first.parentElement.append(tile);
                  bench.tiles.push(tile);
                }
              },
              start() {
                bench.overlays = bench.tiles.map(t => new bench.FaceOverlay(t, t.querySelector('video')));
                bench.overlays.forEach(o => o.start());
              },
              stop() { bench.overlays.forEach(o => o.stop()); bench.overlays = []; },
              snapshot() {
                return { at: performance.now(), longTasks: bench.longTasks, longTaskMs: bench.longTaskMs,
                  detections: bench.overlays.map(o => o.detections),
                  detectionMs: bench.overlays.map(o => o.lastDetectionMs),
                  faces: bench.overlays.map(o => o.lastFaces.length),
                  frames: bench.tiles.map(t => t.querySelector('video').videoWidth + 'x' + t.querySelector('video').videoHeight) };
              },
            };
            """;

    @Test
    void detectionsAndCpuWithOneAndFourTiles() {
        BrowserPage publisher = chromium.open(server.http("/room/facebench?name=Pub").toString(),
                List.of("--use-file-for-fake-video-capture=" + FaceVideo.file()));
        publisher.waitUntilTrue("window.atrium && window.atrium.participantId", CONNECT);
        String publisherId = (String) publisher.eval("return window.atrium.participantId;");
        BrowserPage receiver = chromium.open(server.http("/room/facebench?name=Rec").toString());
        String video = "document.querySelector('video[data-participant-id=\"" + publisherId + "\"]')";
        receiver.waitUntilTrue(video + " && " + video + ".videoWidth > 0", CONNECT);
        receiver.evalAsync(HARNESS + "await bench.init(" + video + ");");
        // Let the SFU and the sender's bandwidth estimate settle on a layer before measuring.
        BrowserPage.sleep(Duration.ofSeconds(10));

        String loadBefore = loadAverage();
        List<String> rows = new ArrayList<>();
        rows.add(measure(receiver, "1 tile, overlay off", false));
        rows.add(measure(receiver, "1 tile, overlay on", true));
        receiver.eval("bench.addTiles(3);");
        BrowserPage.sleep(Duration.ofSeconds(2));
        rows.add(measure(receiver, "4 tiles, overlay off", false));
        rows.add(measure(receiver, "4 tiles, overlay on", true));

        System.out.printf(Locale.ROOT, "face overlay, %d s windows, receiving Chromium's CPU (100%% = one core):%n"
                + "| tiles, overlay | detections/s per tile | detection ms (last) | faces (last) | renderer CPU"
                + " | whole browser CPU | long tasks (>50 ms) | frame |%n|---|---|---|---|---|---|---|---|%n%s%n"
                + "detector thread: %s; load average before: %s%n",
                WINDOW_SECONDS, String.join("\n", rows),
                receiver.evalAsync("return (await (await import('/face/face-overlay.js')).loadFaceDetector()).thread;"),
                loadBefore);
    }

    /** One window: starts the overlays first when {@code on} (and waits for their first detection). */
    private static String measure(BrowserPage receiver, String label, boolean on) {
        if (on) {
            receiver.eval("bench.start();");
            receiver.waitUntilTrue("bench.overlays.every(o => o.detections >= 2)", Duration.ofSeconds(30));
        }
        Cpu before = Cpu.of(receiver);
        Map<?, ?> first = (Map<?, ?>) receiver.eval("return bench.snapshot();");
        BrowserPage.sleep(Duration.ofSeconds(WINDOW_SECONDS));
        Map<?, ?> last = (Map<?, ?>) receiver.eval("return bench.snapshot();");
        Cpu after = Cpu.of(receiver);
        double seconds = (number(last, "at") - number(first, "at")) / 1000;
        List<?> from = (List<?>) first.get("detections");
        List<?> to = (List<?>) last.get("detections");
        String rates = "-";
        if (on) {
            List<String> perTile = new ArrayList<>();
            for (int i = 0; i < to.size(); i++) {
                perTile.add(String.format(Locale.ROOT, "%.1f",
                        (((Number) to.get(i)).doubleValue() - ((Number) from.get(i)).doubleValue()) / seconds));
            }
            rates = String.join(" / ", perTile);
        }
        String detectionMs = on ? ((List<?>) last.get("detectionMs")).stream()
                .map(x -> String.format(Locale.ROOT, "%.0f", ((Number) x).doubleValue()))
                .collect(Collectors.joining(" / ")) : "-";
        double wall = seconds * 1e9;
        String row = String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f %% | %.0f %% | %d (%.0f ms) | %s |", label,
                rates, detectionMs, on ? last.get("faces") : "-", 100 * (after.rendererNanos - before.rendererNanos) / wall,
                100 * (after.totalNanos - before.totalNanos) / wall,
                (long) (number(last, "longTasks") - number(first, "longTasks")),
                number(last, "longTaskMs") - number(first, "longTaskMs"), last.get("frames"));
        System.out.println(row);
        if (on) {
            receiver.eval("bench.stop();");
        }
        return row;
    }

    /** The machine's load averages (1, 5, 15 minutes): other work on the two cores skews every figure. */
    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double number(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    /**
     * CPU time so far (user + system, from /proc/PID/stat) of one browser's processes: the browser
     * process (found by its user-data directory on its command line) and every process below it
     * (zygotes, renderers, GPU, network and audio services); renderers apart. Ticks are 1/100 s,
     * the Linux USER_HZ.
     */
    private record Cpu(long totalNanos, long rendererNanos) {
        private static final long NANOS_PER_TICK = 10_000_000L;

        static Cpu of(BrowserPage page) {
            String marker = "--user-data-dir=" + page.profile();
            Map<Long, Long> parents = new java.util.HashMap<>();
            Map<Long, long[]> ticks = new java.util.HashMap<>();
            Map<Long, String> commands = new java.util.HashMap<>();
            try (java.util.stream.Stream<java.nio.file.Path> dirs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
                for (java.nio.file.Path dir : dirs.toList()) {
                    String name = dir.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String stat = java.nio.file.Files.readString(dir.resolve("stat"));
                        // After the command in parentheses: state, ppid, ... utime (14th field), stime (15th).
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long pid = Long.parseLong(name);
                        parents.put(pid, Long.parseLong(f[1]));
                        ticks.put(pid, new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])});
                        commands.put(pid, new String(java.nio.file.Files.readAllBytes(dir.resolve("cmdline")),
                                java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' '));
                    } catch (java.io.IOException | RuntimeException gone) {
                        // The process ended meanwhile.
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Set<Long> roots = commands.entrySet().stream().filter(e -> e.getValue().contains(marker))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            long total = 0;
            long renderer = 0;
            for (Long pid : ticks.keySet()) {
                if (!below(pid, roots, parents)) {
                    continue;
                }
                long nanos = ticks.get(pid)[0] * NANOS_PER_TICK;
                total += nanos;
                if (commands.getOrDefault(pid, "").contains("--type=renderer")) {
                    renderer += nanos;
                }
            }
            return new Cpu(total, renderer);
        }

        /** Whether {@code pid} is one of {@code roots} or a descendant of one. */
        private static boolean below(Long pid, Set<Long> roots, Map<Long, Long> parents) {
            for (Long p = pid; p != null && p > 1; p = parents.get(p)) {
                if (roots.contains(p)) {
                    return true;
                }
            }
            return false;
        }
    }
}
