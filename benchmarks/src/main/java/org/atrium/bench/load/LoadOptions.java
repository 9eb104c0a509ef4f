package org.atrium.bench.load;

import java.net.URI;
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
record LoadOptions(Mode mode, URI webSocketUri, URI httpUri, int rooms, int publishers, int subscribers,
        boolean audio, boolean video, int videoKbps, int frameRate, int durationSeconds, int rampUpSeconds,
        Path output, long serverPid, boolean baseline, int step, int maxSubscribers, int stepSeconds,
        double maxLossPercent, double maxP99Ms, String roomPrefix, int settleSeconds, boolean simulcast,
        List<Integer> simulcastKbps, int dataRate, int dataSize) {

    enum Mode { RUN, CAPACITY, RELAY }

    static final int MAX_PARTICIPANTS = 2000;

    static final String USAGE = """
            Usage: java -cp signaling/target/atrium.jar:benchmarks/target/classes \\
              org.atrium.bench.load.LoadGenerator [options]
            Synthetic WebRTC participants against an Atrium server on this host (loopback only).
              --mode MODE            run (fixed load, default), capacity (add subscribers step by
                                     step until loss or delay exceeds the limits), relay (the raw
                                     UDP relay baseline alone)
              --url WS_URL           signaling WebSocket            (default ws://127.0.0.1:8080/ws)
              --http HTTP_URL        server's HTTP base for /metrics (default: from --url)
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
              --server-pid PID       read the server's CPU from /proc/PID/stat (else from
                                     /metrics process_cpu_seconds_total)
              --baseline             also run the raw UDP relay at the same load(s), for the ratio
              --step N               capacity: subscribers per room added per step (default 8)
              --max-subscribers N    capacity: stop at this many subscribers per room (default 200)
              --step-duration S      capacity: measured seconds per step (default 10)
              --max-loss PERCENT     capacity: loss limit            (default 1)
              --max-p99 MS           capacity: p99 delay limit      (default 50)
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
        URI ws = Loopback.requireLoopback(URI.create(values.getOrDefault("--url", "ws://127.0.0.1:8080/ws")));
        if (!"ws".equals(ws.getScheme())) {
            throw new IllegalArgumentException("--url must be a ws:// URL");
        }
        URI http = Loopback.requireLoopback(URI.create(values.getOrDefault("--http",
                "http://" + ws.getHost() + ":" + ws.getPort())));
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
                integer(values, "--server-pid", 0, 0, Integer.MAX_VALUE),
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
