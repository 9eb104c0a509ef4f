package org.atrium.bench.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.atrium.bench.load.DirectMediaAnchor;
import org.atrium.sfu.turn.PeerPolicy;
import org.atrium.sfu.turn.TurnConfig;
import org.atrium.sfu.turn.TurnCredential;
import org.atrium.sfu.turn.TurnCredentials;
import org.atrium.sfu.turn.TurnListeners;
import org.atrium.sfu.turn.TurnMetrics;
import org.atrium.sfu.turn.TurnServer;

/**
 * CPU per media packet relayed through Atrium's embedded TURN server, against direct media, in
 * one run on this host (loopback only, bounded in clients, rate and time).
 *
 * <p>A real {@link TurnServer} on 127.0.0.1 (UDP listener, relay sockets) and N TURN clients
 * over UDP of this tool's own ({@link TurnSession}: Allocate with the long-term credential,
 * CreatePermission, ChannelBind) relay ChannelData with fixed-size payloads to a sink socket that
 * stands for the SFU's media port and echoes every datagram to where it came from, so each packet
 * is relayed twice: client to peer (media) and peer to client (what the SFU sends back). For each
 * rate the CPU time of the server's threads ({@code atrium-turn-*}, ThreadMXBean, user and
 * system) over the window is divided by the packets the server relayed in both directions
 * ({@code atrium.turn.relayed.packets}). The sink's own CPU per echoed packet, measured at the
 * same time, is what a raw UDP forward (one receive, one send) costs on this machine.
 *
 * <p>Then, as the anchor, the load generator's fixed run against an Atrium server in a child JVM
 * (direct UDP media, SRTP, its CPU per forwarded packet from /proc/PID/stat) and the same load
 * through the load generator's raw UDP relay. See benchmarks/README.md, "TURN relay against
 * direct media".
 */
public final class TurnRelayLoad {

    static final String USAGE = """
            Usage: java -cp benchmarks/target/classes:CLASSPATH org.atrium.bench.turn.TurnRelayLoad [options]
            CPU per packet relayed by the embedded TURN server, against direct media (loopback only).
              --clients N            TURN clients over UDP, one allocation each  (default 10, 1-200)
              --rates R,R,..         relayed packets/s in all, both directions: the clients send
                                     half of it, the sink echoes the other half (default 2000,5000,10000;
                                     each 2-40000)
              --payload BYTES        ChannelData payload                      (default 1200, 16-1400)
              --jit-warmup S         seconds at the highest rate before the first, unmeasured, so
                                     that the data path is compiled (C2) before any window
                                                                               (default 5, 0-60)
              --warmup S             seconds at each rate before measuring     (default 3, 0-60)
              --duration S           measured seconds at each rate             (default 10, 1-120)
              --relay-ports LOW-HIGH the TURN server's relay range            (default 61000-61999)
              --direct on|off        the direct-media anchor: the load generator against an Atrium
                                     server in a child JVM, then its raw relay (default on)
              --direct-rooms N       the anchor's rooms, each of 2 publishers (audio and 1000 kbps
                                     video, about 340 packets/s each) and the subscribers
                                     (default 3, 1-10: about 9,200 forwarded packets/s)
              --direct-subscribers N subscribers per room of the anchor        (default 8, 1-40)
              --direct-duration S    the anchor's measured seconds, after 10 s of settling
                                                                               (default 20, 3-120)
              --help                 this text
            """;

    /** Options, bounded. */
    record Options(int clients, int[] rates, int payload, int jitWarmupSeconds, int warmupSeconds, int durationSeconds, int relayMin,
            int relayMax, boolean direct, int directRooms, int directSubscribers, int directSeconds) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help")) {
                    throw new IllegalArgumentException(USAGE);
                }
                if (!name.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value at " + name + "\n" + USAGE);
                }
                values.put(name, args[++i]);
            }
            int clients = integer(values.remove("--clients"), 10, 1, 200, "--clients");
            String rateList = values.remove("--rates");
            int[] rates = Arrays.stream((rateList == null ? "2000,5000,10000" : rateList).split(","))
                    .mapToInt(r -> integer(r.trim(), 0, 2, 40_000, "--rates")).toArray();
            int payload = integer(values.remove("--payload"), 1200, 16, 1400, "--payload");
            int jitWarmup = integer(values.remove("--jit-warmup"), 5, 0, 60, "--jit-warmup");
            int warmup = integer(values.remove("--warmup"), 3, 0, 60, "--warmup");
            int duration = integer(values.remove("--duration"), 10, 1, 120, "--duration");
            String range = values.remove("--relay-ports");
            String[] bounds = (range == null ? "61000-61999" : range).split("-");
            if (bounds.length != 2) {
                throw new IllegalArgumentException("--relay-ports LOW-HIGH");
            }
            int low = integer(bounds[0], 0, 1024, 65535, "--relay-ports");
            int high = integer(bounds[1], 0, low, 65535, "--relay-ports");
            if (high - low + 1 < clients) {
                throw new IllegalArgumentException("--relay-ports has fewer ports than --clients");
            }
            String direct = values.remove("--direct");
            if (direct != null && !direct.equals("on") && !direct.equals("off")) {
                throw new IllegalArgumentException("--direct on|off");
            }
            int subscribers = integer(values.remove("--direct-subscribers"), 8, 1, 40, "--direct-subscribers");
            int directRooms = integer(values.remove("--direct-rooms"), 3, 1, 10, "--direct-rooms");
            int directSeconds = integer(values.remove("--direct-duration"), 20, 3, 120, "--direct-duration");
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown option " + values.keySet() + "\n" + USAGE);
            }
            return new Options(clients, rates, payload, jitWarmup, warmup, duration, low, high, !"off".equals(direct),
                    directRooms, subscribers, directSeconds);
        }

        private static int integer(String value, int dflt, int min, int max, String name) {
            if (value == null) {
                return dflt;
            }
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": not a number: " + value);
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " must lie within " + min + "-" + max + ": " + n);
            }
            return n;
        }
    }

    /** One rate's window. */
    record RateResult(int targetRelayedPps, double seconds, double clientSentPps, double relayedPps,
            double relayedToPeerPps, double relayedToClientPps, long sent, long echoed, double lossPercent,
            long serverDropped, long sendRefused, double turnCpuPercent, double turnMicrosPerPacket,
            double turnUserMicrosPerPacket, double turnSystemMicrosPerPacket, double turnBytesPerPacket,
            double toPeerMicrosPerPacket, double toClientMicrosPerPacket, double echoMicrosPerPacket, long gcCount,
            long gcMillis) {
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final String TURN_THREADS = "atrium-turn-";
    /** The UDP listener's reader: ChannelData from clients, relayed to peers on its thread. */
    private static final String UDP_THREAD = "atrium-turn-udp";
    /** The relay sockets' reader: datagrams from peers, relayed to clients on its thread. */
    private static final String RELAY_THREAD = "atrium-turn-relay";
    private static final int CHANNEL = 0x4000;

    private final Options options;
    private final PrintStream out;
    private final List<RateResult> results = new ArrayList<>();
    private List<DirectMediaAnchor.Result> direct = List.of();

    TurnRelayLoad(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(args.length == 1 && args[0].equals("--help") ? 0 : 2);
            return;
        }
        new TurnRelayLoad(options, System.out).run();
        System.exit(0);
    }

    List<RateResult> results() {
        return results;
    }

    List<DirectMediaAnchor.Result> direct() {
        return direct;
    }

    void run() throws Exception {
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
        out.printf(Locale.ROOT, "%s, %d CPUs, load average %s, Java %s%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"));
        runTurn();
        if (options.direct()) {
            runDirect();
        }
        printSummary();
    }

    private void runTurn() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        byte[] secret = "turn-relay-load".getBytes(StandardCharsets.UTF_8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Sink sink = new Sink(new InetSocketAddress(loopback, 0))) {
            TurnConfig config = new TurnConfig("atrium", secret, Duration.ofSeconds(600), Duration.ofSeconds(3600),
                    options.clients(), Math.max(1000, options.clients()), PeerPolicy.only(List.of(sink.address)));
            TurnListeners listeners = TurnListeners.defaults(loopback).withPorts(0, -1, -1)
                    .withRelayPorts(options.relayMin(), options.relayMax());
            try (TurnServer server = new TurnServer(listeners, config, null, new TurnMetrics(registry));
                    Clients clients = new Clients(options.clients(), options.payload())) {
                TurnCredential credential = new TurnCredentials(secret).mint("turn-relay-load", Instant.now(),
                        Duration.ofHours(1));
                clients.open(server.udpAddress(), credential, sink.address);
                out.printf(Locale.ROOT, "TURN server on UDP %s, %d allocations (relays %d-%d) bound to the sink %s; "
                        + "%d B payloads%n", server.udpAddress(), server.allocationCount(), options.relayMin(),
                        options.relayMax(), sink.address, options.payload());
                if (options.jitWarmupSeconds() > 0) {
                    int highest = Arrays.stream(options.rates()).max().orElseThrow();
                    out.printf(Locale.ROOT, "JIT warm-up: %d s at %d relayed packets/s, not measured%n",
                            options.jitWarmupSeconds(), highest);
                    new Pacer(highest / 2.0, System.nanoTime()).runFor(clients,
                            TimeUnit.SECONDS.toNanos(options.jitWarmupSeconds()));
                    Thread.sleep(300);
                }
                out.println(HEADER);
                for (int rate : options.rates()) {
                    RateResult r = measure(rate, clients, sink, registry);
                    results.add(r);
                    out.println(row(r));
                }
            }
        }
    }

    private RateResult measure(int targetRelayed, Clients clients, Sink sink, SimpleMeterRegistry registry)
            throws InterruptedException {
        double sendRate = targetRelayed / 2.0;
        long sentAtStart = clients.sent.get();
        long echoedAtStart = clients.echoed.get();
        long refusedAtStart = clients.refused();
        Pacer pacer = new Pacer(sendRate, System.nanoTime());
        pacer.runFor(clients, TimeUnit.SECONDS.toNanos(options.warmupSeconds()));
        Snapshot start = Snapshot.take(registry, sink, clients);
        pacer.runFor(clients, TimeUnit.SECONDS.toNanos(options.durationSeconds()));
        Snapshot end = Snapshot.take(registry, sink, clients);
        Thread.sleep(300);   // what is in flight comes back
        long sent = clients.sent.get() - sentAtStart;
        long echoed = clients.echoed.get() - echoedAtStart;
        double seconds = (end.nanos - start.nanos) / 1e9;
        double relayed = end.toPeer + end.toClient - start.toPeer - start.toClient;
        double cpu = end.turnCpu - start.turnCpu;
        double user = end.turnUser - start.turnUser;
        double echoedInWindow = end.sinkEchoed - start.sinkEchoed;
        return new RateResult(targetRelayed, seconds, (end.clientSent - start.clientSent) / seconds,
                relayed / seconds, (end.toPeer - start.toPeer) / seconds, (end.toClient - start.toClient) / seconds,
                sent, echoed, sent == 0 ? 0 : 100.0 * (sent - echoed) / sent, (long) (end.dropped - start.dropped),
                clients.refused() - refusedAtStart, 100.0 * cpu / 1e9 / seconds, cpu / 1e3 / relayed,
                user / 1e3 / relayed, (cpu - user) / 1e3 / relayed, (end.turnAllocated - start.turnAllocated) / relayed,
                (end.udpCpu - start.udpCpu) / 1e3 / (end.toPeer - start.toPeer),
                (end.relayCpu - start.relayCpu) / 1e3 / (end.toClient - start.toClient),
                (end.sinkCpu - start.sinkCpu) / 1e3 / echoedInWindow, end.gcCount - start.gcCount,
                end.gcMillis - start.gcMillis);
    }

    private void runDirect() throws Exception {
        Path log = Files.createTempFile("atrium-turnbench-server", ".log");
        Path json = Files.createTempFile("atrium-turnbench-direct", ".json");
        try (ChildAtriumServer server = new ChildAtriumServer(log)) {
            String[] args = {"--url", "ws://127.0.0.1:" + server.httpPort + "/ws", "--rooms", String.valueOf(options.directRooms()), "--publishers",
                "2", "--subscribers", String.valueOf(options.directSubscribers()), "--media", "audio+video",
                "--video-kbps", "1000", "--fps", "30", "--simulcast", "off", "--duration",
                String.valueOf(options.directSeconds()), "--settle", "10", "--ramp-up", "2", "--room-prefix",
                "turnbench", "--server-pid", String.valueOf(server.pid()), "--baseline", "--output", json.toString()};
            out.println();
            out.println("direct media: an Atrium server in a child JVM (PID " + server.pid() + ", log " + log
                    + "), the load generator in this one:");
            out.println("  LoadGenerator " + String.join(" ", args));
            direct = DirectMediaAnchor.run(args, out);
        }
    }

    private void printSummary() {
        out.println();
        out.println("TURN, per packet relayed (either direction), CPU of the atrium-turn-* threads:");
        out.println(HEADER);
        for (RateResult r : results) {
            out.println(row(r));
        }
        DirectMediaAnchor.Result sfu = direct.stream().filter(d -> d.target().equals("sfu")).findFirst().orElse(null);
        DirectMediaAnchor.Result relay = direct.stream().filter(d -> d.target().equals("relay")).findFirst().orElse(null);
        if (sfu == null) {
            return;
        }
        out.printf(Locale.ROOT, "direct media, SFU: %.0f forwarded packets/s, loss %.3f %%, server CPU %.1f %%, "
                + "%.2f us per forwarded packet (whole server process)%n", sfu.forwardedPps(), sfu.lossPercent(),
                sfu.serverCpuPercent(), sfu.cpuMicrosPerPacket());
        if (relay != null) {
            out.printf(Locale.ROOT, "raw UDP relay at the same load: %.0f forwarded packets/s, %.2f us per packet "
                    + "(its thread)%n", relay.forwardedPps(), relay.cpuMicrosPerPacket());
        }
        out.println();
        out.println(" target  relayed/s  TURN us/pkt  SFU us/pkt  TURN/SFU  (SFU+TURN)/SFU" + (relay != null
                ? "  TURN/raw relay" : ""));
        for (RateResult r : results) {
            double ratio = r.turnMicrosPerPacket() / sfu.cpuMicrosPerPacket();
            out.printf(Locale.ROOT, "%7d  %9.0f  %11.2f  %10.2f  %8.2f  %13.2f%s%n", r.targetRelayedPps(),
                    r.relayedPps(), r.turnMicrosPerPacket(), sfu.cpuMicrosPerPacket(), ratio, 1 + ratio,
                    relay != null ? String.format(Locale.ROOT, "  %14.2f", r.turnMicrosPerPacket()
                            / relay.cpuMicrosPerPacket()) : "");
        }
    }

    static final String HEADER = " target   sent/s  relayed/s  loss %  TURN cpu %  us/pkt  (user   sys)  to peer  "
            + "to client  B/pkt  echo us/pkt  turn/echo";

    static String row(RateResult r) {
        return String.format(Locale.ROOT,
                "%7d  %7.0f  %9.0f  %6.3f  %10.1f  %6.2f  (%5.2f %5.2f)  %7.2f  %9.2f  %5.0f  %11.2f  %9.2f",
                r.targetRelayedPps(), r.clientSentPps(), r.relayedPps(), r.lossPercent(), r.turnCpuPercent(),
                r.turnMicrosPerPacket(), r.turnUserMicrosPerPacket(), r.turnSystemMicrosPerPacket(),
                r.toPeerMicrosPerPacket(), r.toClientMicrosPerPacket(), r.turnBytesPerPacket(),
                r.echoMicrosPerPacket(), r.turnMicrosPerPacket() / r.echoMicrosPerPacket());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Counters and CPU times at one instant. */
    private record Snapshot(long nanos, double toPeer, double toClient, double dropped, long turnCpu, long turnUser,
            long turnAllocated, long udpCpu, long relayCpu, long sinkCpu, long sinkEchoed, long clientSent, long gcCount, long gcMillis) {

        static Snapshot take(SimpleMeterRegistry registry, Sink sink, Clients clients) {
            long cpu = 0;
            long user = 0;
            long allocated = 0;
            long udp = 0;
            long relay = 0;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith(TURN_THREADS)) {
                    long id = thread.getId();
                    cpu += Math.max(0, THREADS.getThreadCpuTime(id));
                    user += Math.max(0, THREADS.getThreadUserTime(id));
                    allocated += Math.max(0, THREADS.getThreadAllocatedBytes(id));
                    if (thread.getName().equals(UDP_THREAD)) {
                        udp = THREADS.getThreadCpuTime(id);
                    } else if (thread.getName().equals(RELAY_THREAD)) {
                        relay = THREADS.getThreadCpuTime(id);
                    }
                }
            }
            long gcCount = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcCount += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            return new Snapshot(System.nanoTime(), relayed(registry, "to_peer"), relayed(registry, "to_client"),
                    registry.find("atrium.turn.dropped.packets").counters().stream().mapToDouble(Counter::count).sum(),
                    cpu, user, allocated, udp, relay, THREADS.getThreadCpuTime(sink.thread.getId()), sink.echoed.get(),
                    clients.sent.get(), gcCount, gcMillis);
        }

        private static double relayed(SimpleMeterRegistry registry, String direction) {
            Counter counter = registry.find("atrium.turn.relayed.packets").tag("direction", direction).counter();
            return counter == null ? 0 : counter.count();
        }
    }

    /** Sends ChannelData round robin over the clients at a fixed rate; a lag over 100 ms is skipped, not caught up. */
    private static final class Pacer {
        private final double rate;
        private long origin;
        private long due;

        Pacer(double rate, long origin) {
            this.rate = rate;
            this.origin = origin;
        }

        void runFor(Clients clients, long nanos) {
            long end = System.nanoTime() + nanos;
            long maxLag = Math.max(1, (long) (rate / 10));
            long now;
            while ((now = System.nanoTime()) < end) {
                long target = (long) ((now - origin) * rate / 1e9);
                if (target - due > maxLag) {
                    due = target - maxLag;
                }
                while (due < target) {
                    clients.sendNext();
                    due++;
                }
                LockSupport.parkNanos(200_000);
            }
        }
    }

    /** The clients, and one thread that reads what comes back to all of them. */
    private static final class Clients implements AutoCloseable {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong echoed = new AtomicLong();
        private final UdpTurnLoadClient[] clients;
        private final int payload;
        private final Selector selector;
        private Thread reader;
        private volatile boolean closed;
        private int next;

        Clients(int count, int payload) throws IOException {
            this.clients = new UdpTurnLoadClient[count];
            this.payload = payload;
            this.selector = Selector.open();
        }

        void open(InetSocketAddress server, TurnCredential credential, InetSocketAddress peer) throws IOException {
            for (int i = 0; i < clients.length; i++) {
                clients[i] = new UdpTurnLoadClient(server, CHANNEL, payload);
                clients[i].open(credential.username(), credential.password(), peer);
                clients[i].channel.register(selector, SelectionKey.OP_READ, clients[i]);
            }
            reader = new Thread(this::readLoop, "turnbench-clients");
            reader.setDaemon(true);
            reader.start();
        }

        void sendNext() {
            UdpTurnLoadClient client = clients[next];
            next = (next + 1) % clients.length;
            try {
                if (client.send()) {
                    sent.incrementAndGet();
                }
            } catch (IOException e) {
                // counted as refused below
                client.sendRefused++;
            }
        }

        long refused() {
            long n = 0;
            for (UdpTurnLoadClient client : clients) {
                n += client == null ? 0 : client.sendRefused;
            }
            return n;
        }

        private void readLoop() {
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            while (!closed) {
                try {
                    selector.select(100);
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        UdpTurnLoadClient client = (UdpTurnLoadClient) key.attachment();
                        for (int i = 0; i < 64; i++) {
                            buffer.clear();
                            if (client.channel.receive(buffer) == null) {
                                break;
                            }
                            if (client.isEcho(buffer, payload)) {
                                echoed.incrementAndGet();
                            }
                        }
                    }
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (!closed) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            closed = true;
            selector.wakeup();
            if (reader != null) {
                reader.join(2000);
            }
            for (UdpTurnLoadClient client : clients) {
                if (client != null) {
                    client.close();
                }
            }
            selector.close();
        }
    }

    /** The SFU's media port: echoes every datagram to its source, on one thread. */
    private static final class Sink implements AutoCloseable {
        final InetSocketAddress address;
        final AtomicLong echoed = new AtomicLong();
        final Thread thread;
        private final DatagramChannel channel;
        private volatile boolean closed;

        Sink(InetSocketAddress bind) throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            channel.bind(bind);
            address = (InetSocketAddress) channel.getLocalAddress();
            thread = new Thread(this::loop, "turnbench-sink");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            ByteBuffer buffer = ByteBuffer.allocate(65535);
            while (!closed) {
                try {
                    buffer.clear();
                    InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                    buffer.flip();
                    channel.send(buffer, from);
                    echoed.incrementAndGet();
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            closed = true;
            channel.close();
            thread.join(2000);
        }
    }
}
