package org.atrium.bench.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The load generator's settings, from command-line flags. Everything is bounded: counts,
 * rates and times have upper limits, and targets must be on loopback.
 */
record LoadOptions(Mode mode, List<URI> webSocketUris, List<URI> httpUris, int rooms, int publishers,
        int subscribers, boolean audio, boolean video, int videoKbps, int frameRate, int durationSeconds,
        int rampUpSeconds, Path output, List<Long> serverPids, boolean baseline, int step, int maxSubscribers,
        int stepSeconds, double maxLossPercent, double maxP99Ms, String roomPrefix, int settleSeconds, boolean simulcast,
        List<Integer> simulcastKbps, int dataRate, int dataSize) {

    enum Mode { RUN, CAPACITY, RELAY }

    static final int MAX_PARTICIPANTS = 2000;

    /** Nodes of a cluster that one run may target. */
    static final int MAX_NODES = 16;

    static final String USAGE = """
            Usage: java -cp signaling/target/atrium.jar:benchmarks/target/classes \\
              org.atrium.bench.load.LoadGenerator [options]
            Synthetic WebRTC participants against an Atrium server on this host (loopback only).
              --mode MODE            run (fixed load, default), capacity (add subscribers step by
                                     step until loss or delay exceeds the limits), relay (the raw
                                     UDP relay baseline alone)
              --url WS_URL[,WS_URL...]
                                     signaling WebSocket of each node (default
                                     ws://127.0.0.1:8080/ws); with several, member k of room r
                                     joins node (r + k) mod N (publishers first, then
                                     subscribers) with "noRedirect": true
              --http URL[,URL...]    each node's HTTP base for /metrics, one per --url
                                     (default: from each --url)
              --rooms N              rooms                          (default 1, 1-100)
              --publishers N         publishers per room            (default 2)
              --subscribers N        subscribers per room (only receive; default 8)
              --media MIX            audio+video, audio or video    (default audio+video)
              --video-kbps N         video bitrate per publisher without simulcast
                                     (default 1000, 50-20000)
              --simulcast on|off     publish video as three simulcast encodings (RIDs q, h, f,
                                     VP8 L1T3) when the server asks for them (default on);
                                     off: one stream of --video-kbps, as before simulcast
              --simulcast-kbps Q,H,F bitrates of the three encodings (default 150,500,1700)
              --fps N                video frame rate               (default 30, 1-60)
              --duration S           measured seconds of a run      (default 30, 1-3600)
              --ramp-up S            spread the joins over S seconds (default 5, 0-600)
              --output FILE          JSON result                    (default load-result.json)
              --server-pid PID[,PID...]
                                     read each node's CPU from /proc/PID/stat, one PID per
                                     --url, summed (else process_cpu_seconds_total from each
                                     node's /metrics, summed)
              --baseline             also run the raw UDP relay at the same load(s), for the ratio
              --step N               capacity: subscribers per room added per step (default 8)
              --max-subscribers N    capacity: stop at this many subscribers per room (default 200)
              --step-duration S      capacity: measured seconds per step (default 10)
              --max-loss PERCENT     loss limit of a capacity step and of limitedBy (default 1)
              --max-p99 MS           p99 delay limit, the same      (default 50)
              --room-prefix NAME     rooms are NAME-0, NAME-1, ...   (default load)
              --settle S             seconds between joining and measuring, for the first
                                     keyframes and the JIT (default 2, 0-60)
              --data-rate N          data-channel messages per second per participant, each
                                     for the whole room on a reliable channel (default 0: no
                                     data channels; 0-1000; SFU only, not the raw relay)
              --data-size BYTES      payload bytes per data message (default 200, 16-65536)
              --help                 this text
            """;

    private static final Set<String> SWITCHES = Set.of("--baseline", "--help");

    /** Thrown for --help: the caller prints {@link #USAGE} and exits 0. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help");
        }
    }

    static LoadOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new HelpRequested();
            }
            if (!flag.startsWith("--") || !USAGE.contains(flag + " ")) {
                throw new IllegalArgumentException("unknown option " + flag + " (see --help)");
            }
            if (SWITCHES.contains(flag)) {
                values.put(flag, "true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                values.put(flag, args[++i]);
            }
        }
        Mode mode = switch (values.getOrDefault("--mode", "run")) {
            case "run" -> Mode.RUN;
            case "capacity" -> Mode.CAPACITY;
            case "relay" -> Mode.RELAY;
            default -> throw new IllegalArgumentException("--mode is run, capacity or relay");
        };
        List<URI> ws = urls(values.getOrDefault("--url", "ws://127.0.0.1:8080/ws"), "--url", "ws");
        List<URI> http = values.containsKey("--http")
                ? urls(values.get("--http"), "--http", "http")
                : ws.stream().map(uri -> URI.create("http://" + uri.getHost() + ":" + uri.getPort())).toList();
        if (http.size() != ws.size()) {
            throw new IllegalArgumentException("--http needs one URL per --url: " + http.size() + " for " + ws.size());
        }
        List<Long> pids = pids(values.get("--server-pid"), ws.size());
        String media = values.getOrDefault("--media", "audio+video");
        if (!Set.of("audio+video", "audio", "video").contains(media)) {
            throw new IllegalArgumentException("--media is audio+video, audio or video");
        }
        String simulcast = values.getOrDefault("--simulcast", "on");
        if (!simulcast.equals("on") && !simulcast.equals("off")) {
            throw new IllegalArgumentException("--simulcast is on or off");
        }
        LoadOptions options = new LoadOptions(mode, ws, http,
                integer(values, "--rooms", 1, 1, 100),
                integer(values, "--publishers", 2, 0, 50),
                integer(values, "--subscribers", 8, 0, 1000),
                media.contains("audio"), media.contains("video"),
                integer(values, "--video-kbps", 1000, 50, 20_000),
                integer(values, "--fps", 30, 1, 60),
                integer(values, "--duration", 30, 1, 3600),
                integer(values, "--ramp-up", 5, 0, 600),
                Path.of(values.getOrDefault("--output", "load-result.json")),
                pids,
                values.containsKey("--baseline"),
                integer(values, "--step", 8, 1, 1000),
                integer(values, "--max-subscribers", 200, 1, 1000),
                integer(values, "--step-duration", 10, 2, 600),
                decimal(values, "--max-loss", 1.0),
                decimal(values, "--max-p99", 50.0),
                values.getOrDefault("--room-prefix", "load"),
                integer(values, "--settle", 2, 0, 60),
                simulcast.equals("on"),
                simulcastKbps(values.getOrDefault("--simulcast-kbps", "150,500,1700")),
                integer(values, "--data-rate", 0, 0, 1000),
                integer(values, "--data-size", 200, DataTraffic.MIN_SIZE, 65536));
        if (options.rooms() * (options.publishers() + Math.max(options.subscribers(), options.maxSubscribers()))
                > MAX_PARTICIPANTS && mode == Mode.CAPACITY
                || options.rooms() * (options.publishers() + options.subscribers()) > MAX_PARTICIPANTS) {
            throw new IllegalArgumentException("at most " + MAX_PARTICIPANTS + " participants in all");
        }
        if (!options.roomPrefix().matches("[A-Za-z0-9_.-]{1,40}")) {
            throw new IllegalArgumentException("--room-prefix: 1-40 of A-Z a-z 0-9 _ - .");
        }
        return options;
    }

    /** More than one node: joins carry {@code "noRedirect": true} and go round the nodes. */
    boolean cluster() {
        return webSocketUris.size() > 1;
    }

    String describe() {
        String videoText = simulcast
                ? "simulcast video " + simulcastKbps.stream().map(String::valueOf).collect(Collectors.joining("/"))
                        + " kbps " + frameRate + " fps"
                : "video " + videoKbps + " kbps " + frameRate + " fps";
        return rooms + " room(s) x (" + publishers + " publisher(s) " + (audio ? "audio" : "")
                + (audio && video ? "+" : "") + (video ? videoText : "")
                + ", " + subscribers + " subscriber(s))"
                + (dataRate > 0 ? ", data " + dataRate + " msg/s of " + dataSize + " B per participant" : "");
    }

    /** The simulcast encodings' RIDs, lowest resolution first, as the SFU offers them. */
    static final List<String> SIMULCAST_RIDS = List.of("q", "h", "f");

    private static List<Integer> simulcastKbps(String text) {
        String[] fields = text.split(",");
        if (fields.length != SIMULCAST_RIDS.size()) {
            throw new IllegalArgumentException("--simulcast-kbps needs " + SIMULCAST_RIDS.size()
                    + " bitrates, lowest first: " + text);
        }
        List<Integer> kbps = new ArrayList<>();
        for (String field : fields) {
            kbps.add(integer(Map.of("--simulcast-kbps", field.trim()), "--simulcast-kbps", 0, 30, 20_000));
        }
        return List.copyOf(kbps);
    }

    /**
     * A comma-separated list of 1 to {@link #MAX_NODES} URLs, each of {@code scheme} and on
     * loopback. The same URL may come twice (the same node twice, as in tests).
     */
    static List<URI> urls(String text, String flag, String scheme) {
        String[] fields = text.split(",", -1);
        if (fields.length > MAX_NODES) {
            throw new IllegalArgumentException(flag + ": at most " + MAX_NODES + " nodes, not " + fields.length);
        }
        List<URI> uris = new ArrayList<>();
        for (String field : fields) {
            URI uri;
            try {
                uri = new URI(field.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(flag + ": not a URL: " + field);
            }
            if (!scheme.equals(uri.getScheme())) {
                throw new IllegalArgumentException(flag + ": every URL must be " + scheme + "://, not " + field);
            }
            if (uri.getPort() < 0) {
                throw new IllegalArgumentException(flag + ": a port is needed in " + field);
            }
            uris.add(Loopback.requireLoopback(uri));
        }
        return List.copyOf(uris);
    }

    /** No pids (an empty list: CPU from /metrics), or one per node, each 1 to 2^31-1. */
    static List<Long> pids(String text, int nodes) {
        if (text == null) {
            return List.of();
        }
        String[] fields = text.split(",", -1);
        if (fields.length != nodes) {
            throw new IllegalArgumentException("--server-pid needs one PID per --url: " + fields.length
                    + " for " + nodes);
        }
        List<Long> pids = new ArrayList<>();
        for (String field : fields) {
            pids.add((long) integer(Map.of("--server-pid", field.trim()), "--server-pid", 0, 1, Integer.MAX_VALUE));
        }
        return List.copyOf(pids);
    }

    private static int integer(Map<String, String> values, String flag, int fallback, int min, int max) {
        String text = values.get(flag);
        if (text == null) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, not " + text);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be " + min + "-" + max + ", not " + value);
        }
        return value;
    }

    private static double decimal(Map<String, String> values, String flag, double fallback) {
        String text = values.get(flag);
        try {
            double value = text == null ? fallback : Double.parseDouble(text);
            if (!(value >= 0 && value <= 100_000)) {
                throw new IllegalArgumentException(flag + " out of range: " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, not " + text);
        }
    }
}
