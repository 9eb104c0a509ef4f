package org.atrium.signaling.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A lab of network namespaces for browser tests: the server's namespace and one namespace per
 * client host, each joined to the server's by a veth pair, with {@code tc} shaping each link.
 *
 * <h2>Topology</h2>
 *
 * <pre>
 *   this JVM's namespace (the server's)            client namespace atl&lt;pid&gt;a-c1
 *     lo
 *     bridge atl&lt;pid&gt;abr, 10.77.0.1/24
 *       port atl&lt;pid&gt;av1  &lt;== veth pair ==&gt;  lab0, 10.77.0.11/24   (chromedriver, Chromium)
 *       port atl&lt;pid&gt;av2  &lt;== veth pair ==&gt;  lab0, 10.77.0.12/24   in atl&lt;pid&gt;a-c2
 *       ...
 *     Atrium server on 10.77.0.1
 *
 *       port atl&lt;pid&gt;avN  &lt;== veth ==&gt;  out0 10.77.0.(10+N) in NAT router atl&lt;pid&gt;a-rN
 *                                                in0 10.78.N.1 &lt;== veth ==&gt; lab0 10.78.N.2 in atl&lt;pid&gt;a-cN
 *
 *   downlink of a client = egress of its bridge port; uplink = egress of its lab0
 * </pre>
 *
 * A host behind a symmetric NAT ({@link #addClientBehindNat}, {@link NatRouter}) sits behind a router
 * namespace; a host's firewall ({@link #blockUdp}, {@link #allowOnlyTcpTo}, {@link LabFirewall}) is an
 * nftables table in its own namespace. An external TURN server runs beside the Atrium server
 * ({@link Coturn}).
 *
 * The test JVM's own namespace is the server namespace: the Atrium server runs in the JVM, as in
 * the other browser tests, bound to {@link #serverAddress()}. Only the clients get named
 * namespaces ({@code ip netns add}); a JVM cannot move its threads into another namespace, so the
 * programs of a client (chromedriver, and Chromium under it) are started there with {@code ip
 * netns exec} through {@link #start}. Addresses 10.77.0.0/24 exist only on these links; nothing is
 * routed anywhere else, and the client namespaces have no default route.
 *
 * <p>The lab refuses to build in a namespace with non-loopback interfaces up: run the JVM inside a
 * fresh namespace, {@code unshare -n sh -c 'ip link set lo up && mvn ...'}, as {@code ./test.sh}
 * does, so that the bridge and the server's address never appear on the host. Named namespaces are
 * bind mounts under {@code /run/netns}, visible to the whole machine: their names start with a
 * per-run prefix ({@code atl} + this process id + a letter per lab), so parallel runs never collide.
 * {@link #close()} (also run by a JVM shutdown hook if the test dies) stops the processes started
 * through the lab and deletes every namespace and link it made. Needs root, {@code ip} and
 * {@code tc} (Debian's iproute2); {@link #create()} skips the test (JUnit assumption) otherwise.
 *
 * <h2>Shaping</h2>
 *
 * The downlink of a client is the egress of its veth port on the server's bridge, the uplink the
 * egress of the client's own {@code lab0}. A shaped direction is a {@code tbf} (rate, burst) with a
 * child {@code pfifo} limited in packets (a byte limit would let small audio packets slip past a
 * full video queue); this kernel has {@code tbf}, {@code htb}, {@code pfifo}, {@code bfifo} and the
 * {@code u32} classifier, no {@code netem}. The {@code tbf} hangs under a root {@code htb} whose
 * default class leads to it, while a second class, picked by a {@code u32} filter, carries the test's
 * WebDriver connections ({@link #CONTROL_PORTS}) unshaped: a full media queue would otherwise drop
 * the test's own commands and stall it for seconds. Everything the browser itself sends or receives
 * (page, WebSocket signaling, media) is shaped. Shaping can be changed or lifted at any time.
 *
 * <p>Not thread-safe: build and change the lab from the test thread.
 */
public final class NetworkLab implements AutoCloseable {

    /** The server's address on the lab's bridge. */
    public static final String SERVER_ADDRESS = "10.77.0.1";
    private static final String SUBNET_PREFIX = "10.77.0.";
    private static final int PREFIX_LENGTH = 24;
    private static final int FIRST_CLIENT_HOST = 11;
    private static final int MAX_CLIENTS = 50;
    /** Name of the client's end of its veth pair, inside its namespace. */
    public static final String CLIENT_DEVICE = "lab0";

    /**
     * TCP ports a client-side WebDriver server may listen on ({@code 9516..9519}); traffic to and
     * from them is the test's control connection and is never shaped.
     */
    public static final int FIRST_CONTROL_PORT = 9516;
    public static final int CONTROL_PORTS = 4;
    private static final String CONTROL_PORT_MASK = "0xfffc";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger LABS = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger(NetworkLab.class.getName());

    private final String prefix;
    private final String bridge;
    private final InetAddress serverAddress;
    private final List<LabHost> clients = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> links = new ArrayList<>();
    private final Map<Process, String> processes = new ConcurrentHashMap<>();
    private final Map<String, Shape> shaped = new ConcurrentHashMap<>();
    private final Thread shutdownHook;
    private boolean closed;

    /**
     * How one direction of a link is shaped: a token bucket of {@code kbitPerSecond} (1000 bit/s
     * units, like {@code tc}'s {@code kbit}) and {@code burstBytes}, feeding a queue of at most
     * {@code queuePackets} packets; packets arriving at a full queue are dropped.
     */
    public record Shape(int kbitPerSecond, int burstBytes, int queuePackets) {

        public Shape {
            if (kbitPerSecond < 8 || burstBytes < 1600 || queuePackets < 1) {
                throw new IllegalArgumentException("rate >= 8 kbit/s, burst >= 1600 B, queue >= 1 packet: "
                        + kbitPerSecond + " kbit/s, " + burstBytes + " B, " + queuePackets + " packets");
            }
        }

        /**
         * A rate with a burst of 50 ms of it (at least two full-size packets) and a queue of about
         * 250 ms of 1200-byte packets (at least 4, at most 1000) — a modest home router's buffer.
         */
        public static Shape of(int kbitPerSecond) {
            long bytesPerSecond = kbitPerSecond * 1000L / 8;
            int burst = (int) Math.max(3028, bytesPerSecond / 20);
            int queue = (int) Math.min(1000, Math.max(4, bytesPerSecond / 4 / 1200));
            return new Shape(kbitPerSecond, burst, queue);
        }
    }

    /** Kernel counters of one shaped direction (its {@code tbf}): what left, what the queue dropped. */
    public record QueueStats(long sentBytes, long sentPackets, long dropped, long backlogPackets) {}

    private NetworkLab(String prefix) {
        this.prefix = prefix;
        this.bridge = prefix + "br";
        try {
            this.serverAddress = InetAddress.getByName(SERVER_ADDRESS);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        this.shutdownHook = new Thread(this::cleanUp, "network-lab-cleanup-" + prefix);
    }

    /**
     * Builds an empty lab: a bridge with {@link #SERVER_ADDRESS} in this JVM's namespace. Skips the
     * calling test when the lab cannot be built here (not root, no {@code ip}/{@code tc}, no
     * namespaces, or this JVM's namespace has other interfaces than loopback up).
     */
    public static NetworkLab create() {
        assumeAvailable();
        NetworkLab lab = new NetworkLab("atl" + ProcessHandle.current().pid() + (char) ('a' + LABS.getAndIncrement() % 26));
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.ip("link", "add", lab.bridge, "type", "bridge");
            lab.links.add(lab.bridge);
            lab.ip("link", "set", lab.bridge, "addrgenmode", "none");
            lab.ip("addr", "add", SERVER_ADDRESS + "/" + PREFIX_LENGTH, "dev", lab.bridge);
            lab.ip("link", "set", lab.bridge, "up");
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        LOG.log(Level.INFO, "network lab {0}: bridge {1} with {2}/{3}", lab.prefix, lab.bridge, SERVER_ADDRESS,
                PREFIX_LENGTH);
        return lab;
    }

    /**
     * Skips the calling test unless a lab can be built: root, {@code ip} and {@code tc} on the path,
     * this JVM in a namespace whose only interface up is loopback, and {@code ip netns add} working.
     */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(isRoot(), "the network lab needs root (ip netns, veth, tc)");
        Assumptions.assumeTrue(executable("ip") != null && executable("tc") != null,
                "the network lab needs ip and tc (Debian package iproute2)");
        Assumptions.assumeTrue(Chromium.inLoopbackOnlyNamespace(),
                "the network lab adds a bridge and 10.77.0.1 to this JVM's network namespace, so it runs only"
                        + " in a namespace with nothing but loopback up: run the tests inside `unshare -n sh -c"
                        + " 'ip link set lo up && mvn ...'` as ./test.sh does");
        String probe = "atl" + ProcessHandle.current().pid() + "probe";
        Result added = run(List.of(executable("ip"), "netns", "add", probe));
        if (added.exitCode() == 0) {
            run(List.of(executable("ip"), "netns", "delete", probe));
        }
        Assumptions.assumeTrue(added.exitCode() == 0,
                () -> "`ip netns add` does not work here: " + added.output().strip());
    }

    /** The per-run prefix of every namespace and link name of this lab. */
    public String prefix() {
        return prefix;
    }

    /** The address the server binds in this JVM's namespace; clients reach it over their links. */
    public InetAddress serverAddress() {
        return serverAddress;
    }

    /** The client hosts added so far. */
    public List<LabHost> clients() {
        return List.copyOf(clients);
    }

    /**
     * Adds a client host: a namespace {@code <prefix>-c<n>} with {@code lo} up and a veth pair to the
     * server's bridge, its end {@link #CLIENT_DEVICE} at 10.77.0.(10+n)/24. The link is not shaped.
     *
     * @param name a label for logs and messages (the namespace name does not depend on it)
     */
    public LabHost addClient(String name) {
        int index = nextHostIndex();
        String namespace = prefix + "-c" + index;
        String serverSide = prefix + "v" + index;
        InetAddress address = bridgeAddress(index);
        addNamespace(namespace);
        attachToBridge(serverSide, namespace, CLIENT_DEVICE, address);
        LabHost host = new LabHost(name, namespace, address, serverSide, CLIENT_DEVICE);
        clients.add(host);
        LOG.log(Level.INFO, "network lab: client {0} in namespace {1} at {2}", name, namespace,
                address.getHostAddress());
        return host;
    }

    /**
     * Adds a client host behind its own symmetric NAT ({@link NatRouter}): a router namespace {@code
     * <prefix>-r<n>} on the bridge at 10.77.0.(10+n) that masquerades with a random port for every new
     * destination and drops unsolicited inbound packets, and the client namespace {@code <prefix>-c<n>}
     * at 10.78.n.2/24 with its default route via the router. The returned host's {@link
     * LabHost#address()} is its private address, {@link LabHost#publicAddress()} the router's. The
     * test reaches the host's {@link #CONTROL_PORTS control ports} (chromedriver) at its private
     * address: this namespace gets a route to 10.78.n.0/24 via the router, which forwards new
     * connections from {@link #SERVER_ADDRESS} to those ports and nothing else. Shaping works as for
     * {@link #addClient}: the downlink is the router's port on the bridge, the uplink the client's
     * {@link #CLIENT_DEVICE}.
     */
    public LabHost addClientBehindNat(String name) {
        LabHost host = NatRouter.add(this, name, nextHostIndex());
        clients.add(host);
        return host;
    }

    /**
     * Drops every UDP packet into and out of {@code host} (nftables in its namespace; loopback is
     * left alone), so its browser must use TCP. Replaces any firewall set on the host before.
     */
    public void blockUdp(LabHost host) {
        LabFirewall.blockUdp(this, host);
    }

    /**
     * Lets {@code host} talk to the server ({@link #SERVER_ADDRESS}) only over TCP to {@code
     * serverTcpPorts}, and to nothing else: no UDP at all, no other TCP port, no other host. The
     * test's WebDriver connections to the host's {@link #CONTROL_PORTS control ports} keep working.
     * A page in the host is loaded from the server too, so include the server's HTTP port (e.g.
     * {@code Set.of(turnTlsPort, server.origin().getPort())}). Replaces any firewall set before.
     */
    public void allowOnlyTcpTo(LabHost host, Set<Integer> serverTcpPorts) {
        LabFirewall.allowOnlyTcpTo(this, host, serverTcpPorts);
    }

    /** Removes the firewall of {@link #blockUdp} or {@link #allowOnlyTcpTo}, if any. */
    public void removeFirewall(LabHost host) {
        LabFirewall.remove(this, host);
    }

    // ------------------------------------------------------------------------------------------
    // building blocks for the lab's helpers (NatRouter, LabFirewall, Coturn)

    private int nextHostIndex() {
        checkOpen();
        int index = clients.size() + 1;
        if (index > MAX_CLIENTS) {
            throw new IllegalStateException("at most " + MAX_CLIENTS + " clients in a lab");
        }
        return index;
    }

    /** 10.77.0.(10+index): the address of the index-th host on the bridge. */
    static InetAddress bridgeAddress(int index) {
        try {
            return InetAddress.getByName(SUBNET_PREFIX + (FIRST_CLIENT_HOST - 1 + index));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a namespace with {@code lo} up; {@link #close()} deletes it. */
    void addNamespace(String namespace) {
        checkOpen();
        ip("netns", "add", namespace);
        namespaces.add(namespace);
        ip("-n", namespace, "link", "set", "lo", "up");
    }

    /**
     * Joins {@code namespace} to the bridge: a veth pair, {@code serverSide} a port of the bridge and
     * {@code device} inside the namespace with {@code address}/24.
     */
    void attachToBridge(String serverSide, String namespace, String device, InetAddress address) {
        if (serverSide.length() > 15) {
            throw new IllegalStateException("interface name too long: " + serverSide);
        }
        ip("link", "add", serverSide, "type", "veth", "peer", "name", device, "netns", namespace);
        links.add(serverSide);
        // No IPv6 link-local addresses: nothing but the lab's IPv4 on its links.
        ip("link", "set", serverSide, "addrgenmode", "none");
        ip("link", "set", serverSide, "master", bridge);
        ip("link", "set", serverSide, "up");
        ip("-n", namespace, "link", "set", device, "addrgenmode", "none");
        ip("-n", namespace, "addr", "add", address.getHostAddress() + "/" + PREFIX_LENGTH, "dev", device);
        ip("-n", namespace, "link", "set", device, "up");
    }

    /** Runs {@code nft -f} with {@code ruleset} inside {@code namespace}. */
    void nft(String namespace, String ruleset) {
        checkOpen();
        String nft = executable("nft");
        if (nft == null) {
            throw new IllegalStateException("nft missing (Debian package nftables)");
        }
        Path file = null;
        try {
            file = Files.createTempFile("atrium-lab-nft-", ".nft");
            Files.writeString(file, ruleset, StandardCharsets.UTF_8);
            command(List.of(executable("ip"), "netns", "exec", namespace, nft), "-f", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }

    /**
     * Gives this JVM's namespace a default route into a veth pair whose both ends are here, so a
     * packet to an address the lab has no link for leaves without an error and goes nowhere (the
     * kernel does not forward here). coturn drops a whole allocation when a send fails with
     * "network unreachable". Idempotent; {@link #close()} removes the pair and with it the route.
     */
    void routeStrayPacketsNowhere() {
        checkOpen();
        String sink = prefix + "nw0";
        if (links.contains(sink)) {
            return;
        }
        ip("link", "add", sink, "type", "veth", "peer", "name", prefix + "nw1");
        links.add(sink);
        for (String end : List.of(sink, prefix + "nw1")) {
            ip("link", "set", end, "addrgenmode", "none");
            ip("link", "set", end, "up");
        }
        ip("route", "add", "default", "dev", sink);
        LOG.log(Level.INFO, "network lab {0}: default route into {1}, which leads nowhere", prefix, sink);
    }

    /**
     * Starts {@code command} in this JVM's namespace (the server's), its output to {@code log}
     * (appended); stopped like the processes of {@link #start}.
     */
    Process startHere(List<String> command, Path log) {
        checkOpen();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process process = builder.start();
            processes.put(process, "server: " + String.join(" ", command));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Shapes what the server sends to {@code host} to {@code kbitPerSecond} ({@link Shape#of}). */
    public void shapeDownlink(LabHost host, int kbitPerSecond) {
        shapeDownlink(host, Shape.of(kbitPerSecond));
    }

    /** Shapes what the server sends to {@code host}: the egress of its port on the server's bridge. */
    public void shapeDownlink(LabHost host, Shape shape) {
        shape(host, downlinkTc(host), host.serverSideDevice(), "dport", shape, "downlink");
    }

    /** Shapes what {@code host} sends to the server to {@code kbitPerSecond} ({@link Shape#of}). */
    public void shapeUplink(LabHost host, int kbitPerSecond) {
        shapeUplink(host, Shape.of(kbitPerSecond));
    }

    /** Shapes what {@code host} sends to the server: the egress of its own {@link #CLIENT_DEVICE}. */
    public void shapeUplink(LabHost host, Shape shape) {
        shape(host, uplinkTc(host), host.clientDevice(), "sport", shape, "uplink");
    }

    /** Lifts every limit on {@code host}'s link, both directions. */
    public void unshape(LabHost host) {
        unshapeDownlink(host);
        unshapeUplink(host);
    }

    public void unshapeDownlink(LabHost host) {
        unshape(host, downlinkTc(host), host.serverSideDevice(), "downlink");
    }

    public void unshapeUplink(LabHost host) {
        unshape(host, uplinkTc(host), host.clientDevice(), "uplink");
    }

    /** The shape of {@code host}'s downlink, or null when it is not shaped. */
    public Shape downlinkShape(LabHost host) {
        return shaped.get(key(host, "downlink"));
    }

    /** The shape of {@code host}'s uplink, or null when it is not shaped. */
    public Shape uplinkShape(LabHost host) {
        return shaped.get(key(host, "uplink"));
    }

    /** Counters of {@code host}'s shaped downlink since it was first shaped; zeros when not shaped. */
    public QueueStats downlinkStats(LabHost host) {
        return queueStats(downlinkTc(host), host.serverSideDevice());
    }

    /** Counters of {@code host}'s shaped uplink since it was first shaped; zeros when not shaped. */
    public QueueStats uplinkStats(LabHost host) {
        return queueStats(uplinkTc(host), host.clientDevice());
    }

    /**
     * Starts {@code command} inside {@code host}'s namespace ({@code ip netns exec}), its output to
     * {@code log} (appended). The lab stops it, and whatever it started, on {@link #close()} if it is
     * still running; stop it earlier with {@link #stop(Process)}.
     */
    public Process start(LabHost host, List<String> command, Path log) {
        checkOpen();
        List<String> full = new ArrayList<>(List.of(executable("ip"), "netns", "exec", host.namespace()));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process process = builder.start();
            processes.put(process, host.name() + ": " + String.join(" ", command));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", full), e);
        }
    }

    /**
     * Stops a process started by {@link #start}: first whatever it started (by process id), then the
     * process itself, each with SIGTERM and, after 5 s, SIGKILL.
     */
    public void stop(Process process) {
        processes.remove(process);
        stopTree(process.toHandle());
    }

    private static void stopTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        for (ProcessHandle p : tree) {
            p.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle p : tree) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    /** Stops the lab's processes, deletes every namespace and link it made. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNotAdded) {
            // The hook is running or was never added.
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : List.copyOf(processes.keySet())) {
            stop(p);
        }
        List<String> failures = new ArrayList<>();
        // A namespace's deletion also deletes the veth end inside it, and with it the pair.
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String namespace = namespaces.get(i);
            Result r = run(List.of(executable("ip"), "netns", "delete", namespace));
            if (r.exitCode() != 0) {
                failures.add("ip netns delete " + namespace + ": " + r.output().strip());
            }
        }
        for (int i = links.size() - 1; i >= 0; i--) {
            String link = links.get(i);
            // Veth ends went with their namespaces; what is left is the bridge (and any veth whose
            // namespace could not be deleted). /sys shows the host's interfaces, not this
            // namespace's, so ask ip.
            if (linkExists(link)) {
                Result r = run(List.of(executable("ip"), "link", "delete", link));
                if (r.exitCode() != 0 && linkExists(link)) {
                    failures.add("ip link delete " + link + ": " + r.output().strip());
                }
            }
        }
        namespaces.clear();
        links.clear();
        if (failures.isEmpty()) {
            LOG.log(Level.INFO, "network lab {0} removed", prefix);
        } else {
            LOG.log(Level.WARNING, "network lab {0}: could not remove everything: {1}", prefix, failures);
        }
    }

    /** True when this JVM's network namespace has an interface {@code name}. */
    public static boolean linkExists(String name) {
        return run(List.of(executable("ip"), "link", "show", "dev", name)).exitCode() == 0;
    }

    // ------------------------------------------------------------------------------------------
    // tc

    private List<String> downlinkTc(LabHost host) {
        return List.of(executable("tc"));
    }

    private List<String> uplinkTc(LabHost host) {
        return List.of(executable("tc"), "-n", host.namespace());
    }

    private static String key(LabHost host, String direction) {
        return host.namespace() + "/" + direction;
    }

    /**
     * root htb 1: (default class 1:2)
     *   class 1:1 -> unshaped: the WebDriver control ports (u32 filter)
     *   class 1:2 -> tbf 20: rate/burst -> pfifo 21: limit N packets
     */
    private void shape(LabHost host, List<String> tc, String device, String portField, Shape shape,
            String direction) {
        checkOpen();
        String k = key(host, direction);
        if (!shaped.containsKey(k)) {
            command(tc, "qdisc", "replace", "dev", device, "root", "handle", "1:", "htb", "default", "2");
            command(tc, "class", "replace", "dev", device, "parent", "1:", "classid", "1:1", "htb",
                    "rate", "10gbit", "quantum", "1514");
            command(tc, "class", "replace", "dev", device, "parent", "1:", "classid", "1:2", "htb",
                    "rate", "10gbit", "quantum", "1514");
            command(tc, "filter", "replace", "dev", device, "parent", "1:", "protocol", "ip", "prio", "1",
                    "u32", "match", "ip", "protocol", "6", "0xff",
                    "match", "ip", portField, Integer.toString(FIRST_CONTROL_PORT), CONTROL_PORT_MASK,
                    "flowid", "1:1");
        }
        command(tc, "qdisc", "replace", "dev", device, "parent", "1:2", "handle", "20:", "tbf",
                "rate", shape.kbitPerSecond() + "kbit", "burst", Integer.toString(shape.burstBytes()),
                "latency", "1s");
        command(tc, "qdisc", "replace", "dev", device, "parent", "20:1", "handle", "21:", "pfifo",
                "limit", Integer.toString(shape.queuePackets()));
        shaped.put(k, shape);
        LOG.log(Level.INFO, "network lab: {0} {1} shaped to {2}", host.name(), direction, shape);
    }

    private void unshape(LabHost host, List<String> tc, String device, String direction) {
        checkOpen();
        if (shaped.remove(key(host, direction)) != null) {
            command(tc, "qdisc", "delete", "dev", device, "root");
            LOG.log(Level.INFO, "network lab: {0} {1} unshaped", host.name(), direction);
        }
    }

    private static final Pattern SENT =
            Pattern.compile("Sent (\\d+) bytes (\\d+) pkt \\(dropped (\\d+),.*?backlog \\S+ (\\d+)p", Pattern.DOTALL);

    private QueueStats queueStats(List<String> tc, String device) {
        String out = command(tc, "-s", "qdisc", "show", "dev", device);
        // The tbf's block; its child pfifo's drops are counted in it.
        int at = out.indexOf("qdisc tbf 20:");
        if (at < 0) {
            return new QueueStats(0, 0, 0, 0);
        }
        Matcher m = SENT.matcher(out.substring(at));
        if (!m.find()) {
            throw new IllegalStateException("cannot read tc counters from:\n" + out);
        }
        return new QueueStats(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)));
    }

    // ------------------------------------------------------------------------------------------
    // running ip and tc

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("network lab " + prefix + " is closed");
        }
    }

    String ip(String... args) {
        List<String> ip = List.of(executable("ip"));
        return command(ip, args);
    }

    /** Runs {@code program + args}; a non-zero exit fails with the command line and its output. */
    static String command(List<String> program, String... args) {
        List<String> full = new ArrayList<>(program);
        full.addAll(List.of(args));
        Result r = run(full);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("`" + String.join(" ", full) + "` failed (exit " + r.exitCode() + "): "
                    + r.output().strip());
        }
        return r.output();
    }

    record Result(int exitCode, String output) {}

    static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static final Map<String, String> EXECUTABLES = new ConcurrentHashMap<>();

    /** {@code name}'s path on PATH or in /usr/sbin, /sbin, /usr/bin, /bin; null when missing. */
    static String executable(String name) {
        return EXECUTABLES.computeIfAbsent(name, n -> {
            List<String> dirs = new ArrayList<>();
            String path = System.getenv("PATH");
            if (path != null) {
                dirs.addAll(List.of(path.split(":")));
            }
            dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
            for (String dir : dirs) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, n))) {
                    return Path.of(dir, n).toString();
                }
            }
            return null;
        });
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.split("\\s+");
                    return f.length > 2 && f[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
