package org.atrium.signaling.browser.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.atrium.signaling.Main;
import org.atrium.signaling.browser.BrowserPage;
import org.atrium.signaling.browser.LabChromium;
import org.atrium.signaling.browser.LabHost;
import org.atrium.signaling.browser.NetworkLab;
import org.junit.jupiter.api.Assumptions;

/**
 * A cluster of Atrium nodes in a {@link NetworkLab}: a {@code redis-server} and every node in a
 * network namespace of its own on the lab's bridge, each node a separate JVM ({@link Main}), and
 * browsers in namespaces of their own that open pages on any node.
 *
 * <pre>
 *   this JVM's namespace: bridge 10.77.0.1 (the test reaches every host's ports from here)
 *     &lt;prefix&gt;-c1  redis   10.77.0.11:6379           redis-server --save '' --appendonly no
 *     &lt;prefix&gt;-c2  node1   10.77.0.12:8080, UDP 40000  java ... org.atrium.signaling.Main --redis ...
 *     &lt;prefix&gt;-c3  node2   10.77.0.13 ...
 *     &lt;prefix&gt;-cN  browsers, one namespace per page ({@link #open})
 * </pre>
 *
 * Nodes reach each other (signaling and relay links) and Redis over the bridge; addresses 10.77.0.0/24
 * exist only in the lab's namespaces. Each node's output goes to {@code
 * target/cluster-lab/<prefix>/<node id>.log} (kept after the run, for reading a failure), Redis's to
 * {@code redis.log} beside it. A node runs with the test JVM's own class path and a small heap, C1
 * only ({@code -XX:TieredStopAtLevel=1}), to leave the two cores to the browsers.
 *
 * <p>{@link #stop(Node)} sends a node SIGTERM (it leaves the cluster in order), {@link #kill(Node)}
 * SIGKILL (it vanishes; its entries in Redis expire). {@link #close()} closes the pages, stops every
 * node and Redis by process id and deletes the namespaces, also when building the lab failed half
 * way; the network lab's shutdown hook does the same if the test JVM dies. Needs what the network
 * lab needs (root, a namespace with only loopback up) and {@code /usr/bin/redis-server}; skips the
 * calling test otherwise.
 *
 * <p>Not thread-safe: build and use it from the test thread.
 */
public final class ClusterLab implements AutoCloseable {

    /** Shared by every node: at least 32 bytes (docs/cluster.md). */
    public static final String CLUSTER_SECRET = "the cluster lab's secret, 32 bytes or more";
    public static final int HTTP_PORT = 8080;
    public static final int MEDIA_PORT = 40000;
    public static final int REDIS_PORT = 6379;

    static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    static final Path REDIS_CLI = Path.of("/usr/bin/redis-cli");
    private static final Duration NODE_START = Duration.ofSeconds(90);
    private static final Duration REDIS_START = Duration.ofSeconds(10);
    /** A node on SIGTERM drains (at most --drain-timeout, 30 s) and then stops (at most 10 s). */
    private static final Duration NODE_STOP = Duration.ofSeconds(45);
    private static final Duration NODE_KILL = Duration.ofSeconds(10);
    private static final List<String> NODE_JVM_FLAGS = List.of("-Xmx256m", "-Xss512k", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-XX:CICompilerCount=1", "-Djava.net.preferIPv4Stack=true");
    private static final String IP = findIp();
    private static final System.Logger LOG = System.getLogger(ClusterLab.class.getName());

    /**
     * One node: its id, its host in the lab, its process and the file with its output.
     *
     * @param id the node id ({@code node1}, {@code node2}, ...)
     * @param host its namespace and address
     * @param log its stdout and stderr
     */
    public record Node(String id, LabHost host, Process process, Path log) {

        /** {@code http://10.77.0.(n):8080}: its public URL, the origin of its pages. */
        public URI origin() {
            return URI.create("http://" + host.addressText() + ":" + HTTP_PORT);
        }

        /** A URL on the node, e.g. {@code http("/room/demo?name=Ada")}. */
        public String http(String pathAndQuery) {
            return origin() + pathAndQuery;
        }

        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public String toString() {
            return id + " (" + host.namespace() + ", " + host.addressText() + ", pid " + process.pid() + ")";
        }
    }

    private final NetworkLab lab;
    private final Path logs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Node> nodes = new ArrayList<>();
    /** One launcher per node: each marks its node's origin a secure context. */
    private final Map<Node, LabChromium> browsers = new LinkedHashMap<>();
    private LabHost redisHost;
    private Process redis;
    private boolean closed;

    private ClusterLab(NetworkLab lab, Path logs) {
        this.lab = lab;
        this.logs = logs;
    }

    /**
     * Builds the lab and starts Redis and {@code count} nodes, each with {@code nodeFlags} after
     * the lab's own flags (e.g. {@code --node-max-participants 1}); returns once every node is
     * ready and sees all {@code count} nodes live. Skips the calling test where the lab cannot be
     * built.
     */
    public static ClusterLab start(int count, List<String> nodeFlags) {
        List<List<String>> flags = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            flags.add(nodeFlags);
        }
        return start(flags);
    }

    /**
     * As {@link #start(int, List)}, one node per entry of {@code flagsPerNode}, each with its own
     * flags ({@code node1} with the first), e.g. a participant limit on some nodes only.
     */
    public static ClusterLab start(List<List<String>> flagsPerNode) {
        int count = flagsPerNode.size();
        Assumptions.assumeTrue(Files.isExecutable(REDIS_SERVER) && Files.isExecutable(REDIS_CLI),
                REDIS_SERVER + " or " + REDIS_CLI + " missing (Debian package redis-server)");
        NetworkLab lab = NetworkLab.create();
        ClusterLab cluster = null;
        try {
            Path logs = Path.of("target", "cluster-lab", lab.prefix()).toAbsolutePath();
            Files.createDirectories(logs);
            cluster = new ClusterLab(lab, logs);
            cluster.startRedis();
            // One at a time: a node gives Redis 3 s to answer its first registration, which a cold
            // JVM sharing two cores with two others starting may not manage.
            for (int i = 1; i <= count; i++) {
                cluster.awaitReady(cluster.startNode("node" + i, flagsPerNode.get(i - 1)));
            }
            ClusterLab c = cluster;
            for (Node node : cluster.nodes) {
                c.await(node + " sees " + count + " live nodes", Duration.ofSeconds(15), () -> {
                    if (!node.alive()) {
                        throw new Gone(node + " exited with " + node.process().exitValue() + ":\n"
                                + tail(node.log(), 60));
                    }
                    return c.metric(node, "atrium_cluster_nodes", "") == count;
                });
            }
            LOG.log(Level.INFO, "cluster lab {0}: redis and {1} nodes up, logs in {2}", lab.prefix(), count, logs);
            return cluster;
        } catch (IOException e) {
            closeQuietly(cluster, lab);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            closeQuietly(cluster, lab);
            throw e;
        }
    }

    private static void closeQuietly(ClusterLab cluster, NetworkLab lab) {
        try {
            if (cluster != null) {
                cluster.close();
            } else {
                lab.close();
            }
        } catch (RuntimeException suppressed) {
            LOG.log(Level.WARNING, "cluster lab: cleaning up after a failed start", suppressed);
        }
    }

    public NetworkLab network() {
        return lab;
    }

    /** The nodes, in order: {@code node1} first. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The n-th node, from 1. */
    public Node node(int n) {
        return nodes.get(n - 1);
    }

    /** Where the nodes' and Redis's logs are. */
    public Path logs() {
        return logs;
    }

    /** {@code redis://10.77.0.11:6379}. */
    public String redisUri() {
        return "redis://" + redisHost.addressText() + ":" + REDIS_PORT;
    }

    // ------------------------------------------------------------------------------------------
    // Redis

    private void startRedis() {
        redisHost = lab.addClient("redis");
        runRedis();
    }

    /** Stops the lab's Redis by its PID (SIGTERM, SIGKILL after 10 s), losing every key: an outage. */
    public void stopRedis() {
        Process running = redis;
        running.destroy();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                running.destroyForcibly();
                running.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        LOG.log(Level.INFO, "cluster lab: redis-server (pid {0}) stopped", running.pid());
    }

    /** Starts the lab's Redis again, empty, at the same address after {@link #stopRedis}. */
    public void restartRedis() {
        runRedis();
    }

    private void runRedis() {
        String address = redisHost.addressText();
        // Redis 7 refuses clients from other hosts without a password unless protected mode is off;
        // it is bound to the lab address only, which nothing outside the lab's namespaces reaches.
        redis = lab.start(redisHost, List.of(REDIS_SERVER.toString(), "--bind", address, "--port",
                Integer.toString(REDIS_PORT), "--protected-mode", "no", "--save", "", "--appendonly", "no",
                "--daemonize", "no"),
                logs.resolve("redis.log"));
        await("redis-server listening on " + address + ":" + REDIS_PORT, REDIS_START, () -> {
            if (!redis.isAlive()) {
                throw new Gone("redis-server exited with " + redis.exitValue() + ":\n"
                        + tail(logs.resolve("redis.log"), 40));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(redisHost.address(), REDIS_PORT), 500);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        LOG.log(Level.INFO, "cluster lab: redis-server (pid {0}) at {1}", redis.pid(), redisUri());
    }

    /** The redis-server process. */
    Process redisProcess() {
        return redis;
    }

    /** Runs {@code redis-cli} against the lab's Redis (in its namespace); returns its output. */
    public String redisCli(String... args) {
        List<String> command = new ArrayList<>(List.of(IP, "netns", "exec", redisHost.namespace(),
                REDIS_CLI.toString(), "-h", redisHost.addressText(), "-p", Integer.toString(REDIS_PORT)));
        command.addAll(List.of(args));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            cli.getOutputStream().close();
            byte[] out = cli.getInputStream().readAllBytes();
            if (!cli.waitFor(10, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                throw new IllegalStateException("redis-cli timed out: " + command);
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The participants {@code node} last wrote to Redis as its load ({@code atrium:node:{id}}), -1 if none. */
    public int loadInRedis(Node node) {
        String load = redisCli("HGET", "atrium:node:" + node.id(), "load");
        try {
            return Integer.parseInt(load);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------
    // nodes

    private Node startNode(String id, List<String> extraFlags) {
        LabHost host = lab.addClient(id);
        String address = host.addressText();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(NODE_JVM_FLAGS);
        // The media port's transport the tests run with (epoll by default, nio in the fallback run).
        command.add("-Datrium.transport=" + System.getProperty("atrium.transport", "auto"));
        command.addAll(List.of("-cp", classPath(), Main.class.getName(),
                "--http-host", address, "--http-port", Integer.toString(HTTP_PORT),
                "--media-address", address, "--media-port", Integer.toString(MEDIA_PORT),
                "--redis", redisUri(), "--node-id", id, "--cluster-secret", CLUSTER_SECRET,
                "--public-url", "http://" + address + ":" + HTTP_PORT));
        command.addAll(extraFlags);
        Path log = logs.resolve(id + ".log");
        Process process = lab.start(host, command, log);
        Node node = new Node(id, host, process, log);
        nodes.add(node);
        LOG.log(Level.INFO, "cluster lab: started {0}, output in {1}", node, log);
        return node;
    }

    /**
     * The class path of this test JVM: Surefire's {@code surefire.test.class.path} (the real one;
     * {@code java.class.path} may be a manifest-only booter jar), else {@code java.class.path}.
     */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void awaitReady(Node node) {
        URI ready = URI.create(node.http("/health/ready"));
        await(node + " ready", NODE_START, () -> {
            if (!node.alive()) {
                throw new Gone(node + " exited with " + node.process().exitValue() + ":\n" + tail(node.log(), 60));
            }
            try {
                return get(ready).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /**
     * Sends {@code node} SIGTERM and waits until it has exited: a node of a cluster first drains its
     * participants to other nodes (at most {@code --drain-timeout}), then stops; SIGKILL after 45 s.
     */
    public void stop(Node node) {
        ProcessHandle handle = node.process().toHandle();
        handle.destroy();
        try {
            if (!node.process().waitFor(NODE_STOP.toSeconds(), TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "cluster lab: {0} still running {1} s after SIGTERM; SIGKILL", node,
                        NODE_STOP.toSeconds());
                handle.destroyForcibly();
                node.process().waitFor(NODE_KILL.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lab.stop(node.process());
    }

    /** Sends {@code node} SIGKILL: it stops at once, telling no one. */
    public void kill(Node node) {
        node.process().toHandle().destroyForcibly();
        try {
            node.process().waitFor(NODE_KILL.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lab.stop(node.process());
    }

    // ------------------------------------------------------------------------------------------
    // HTTP: metrics and the stats API

    /** GET {@code pathAndQuery} on {@code node}; fails on a transport error. */
    public HttpResponse<String> get(Node node, String pathAndQuery) {
        try {
            return get(URI.create(node.http(pathAndQuery)));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery + " on " + node + ": " + e, e);
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** {@code node}'s {@code /metrics} (Prometheus text). */
    public String metrics(Node node) {
        HttpResponse<String> r = get(node, "/metrics");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/metrics of " + node + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /**
     * The sum of every sample of metric {@code name} on {@code node} whose labels contain {@code
     * labels} (e.g. {@code direction="sent"}; "" for all), or -1 when {@code node} has no such sample.
     */
    public double metric(Node node, String name, String labels) {
        return metric(metrics(node), name, labels);
    }

    /** As {@link #metric(Node, String, String)}, from a scraped text. */
    public static double metric(String metrics, String name, String labels) {
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            String rest = line.substring(name.length());
            String sampleLabels = "";
            if (rest.startsWith("{")) {
                int end = rest.indexOf('}');
                if (end < 0) {
                    continue;
                }
                sampleLabels = rest.substring(1, end);
                rest = rest.substring(end + 1);
            } else if (!rest.startsWith(" ")) {
                continue; // another metric whose name starts with this one
            }
            if (!sampleLabels.contains(labels)) {
                continue;
            }
            String[] fields = rest.strip().split("\\s+");
            try {
                sum += Double.parseDouble(fields[0]);
                found = true;
            } catch (NumberFormatException e) {
                // not a sample
            }
        }
        return found ? sum : -1;
    }

    // ------------------------------------------------------------------------------------------
    // browsers

    /**
     * Opens {@code /room/ROOM?name=NAME} of {@code node} in a new Chromium in a namespace of its own
     * (a new host {@code name} on the bridge), with {@code camera}.
     */
    public BrowserPage openRoom(Node node, String room, String name, LabChromium.Camera camera) {
        LabHost host = lab.addClient("browser-" + name);
        return browsers(node).open(host, node.http("/room/" + room + "?name=" + name), camera);
    }

    private LabChromium browsers(Node node) {
        checkOpen();
        return browsers.computeIfAbsent(node, n -> LabChromium.launch(lab, n.origin()));
    }

    // ------------------------------------------------------------------------------------------

    /** The last {@code lines} lines of {@code file}. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines of every node's log, for a failure message. */
    public String nodeLogTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            out.append("----- ").append(node).append(alive(node)).append(", ").append(node.log()).append('\n')
                    .append(tail(node.log(), lines)).append('\n');
        }
        return out.toString();
    }

    private static String alive(Node node) {
        return node.alive() ? ", running" : ", exited " + node.process().exitValue();
    }

    /** Polls {@code condition} every 100 ms until true; fails after {@code timeout}. */
    private void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (Gone e) {
                throw e;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                IllegalStateException failure = new IllegalStateException("not " + what + " after "
                        + timeout.toSeconds() + " s\n" + nodeLogTails(30));
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** A failure that waiting longer cannot mend: a process of the lab exited. */
    private static final class Gone extends IllegalStateException {
        Gone(String message) {
            super(message);
        }
    }

    private static String findIp() {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, "ip"))) {
                return Path.of(dir, "ip").toString();
            }
        }
        return "ip";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cluster lab " + lab.prefix() + " is closed");
        }
    }

    /**
     * Closes every page, stops the nodes (SIGTERM, then SIGKILL) and Redis by process id, and
     * deletes the lab's namespaces and links. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (LabChromium chromium : browsers.values()) {
                try {
                    chromium.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cluster lab: closing browsers", e);
                }
            }
            browsers.clear();
            for (Node node : nodes) {
                if (node.alive()) {
                    node.process().toHandle().destroy();
                }
            }
            for (Node node : nodes) {
                stop(node);
            }
            if (redis != null) {
                lab.stop(redis);
            }
        } finally {
            lab.close();
        }
    }
}
