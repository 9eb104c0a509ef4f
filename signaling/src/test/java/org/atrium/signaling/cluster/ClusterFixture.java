package org.atrium.signaling.cluster;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.cluster.RedisServerProcess;
import org.atrium.sfu.SfuConfig;
import org.atrium.signaling.AtriumServer;
import org.atrium.signaling.ServerConfig;
import org.atrium.signaling.SignalingClient;

/**
 * Nodes of a cluster in one JVM on loopback around a real redis-server, and WebSocket clients
 * of theirs; everything stopped together (by PID for Redis). Skips the test when Debian's
 * redis-server is not installed.
 */
final class ClusterFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SECRET = "a cluster secret of at least 32 bytes, for tests";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final RedisServerProcess redis;
    private final List<AtriumServer> nodes = new ArrayList<>();
    private final List<SignalingClient> clients = new ArrayList<>();

    /** Redis is not started yet: {@link #startRedis}, or test a node that cannot reach it. */
    ClusterFixture() throws java.io.IOException {
        assumeTrue(RedisServerProcess.available(),
                "/usr/bin/redis-server or redis-cli missing (apt-get install redis-server)");
        redis = new RedisServerProcess();
    }

    RedisServerProcess redis() {
        return redis;
    }

    ClusterFixture startRedis() throws Exception {
        redis.start();
        return this;
    }

    /** A node of the cluster with the given participant limit (0: none), started. */
    AtriumServer node(String id, int maxParticipants) throws Exception {
        SfuConfig sfu = SfuConfig.defaults().withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of());
        AtriumServer node = new AtriumServer(new ServerConfig("127.0.0.1", 0, null, null, false, sfu)
                .withCluster(new ClusterSettings(redis.uri(), id, SECRET, null, maxParticipants)));
        nodes.add(node);
        return node;
    }

    /** Stops one node now (the others and Redis go on); {@link #close} will not stop it again. */
    void closeNode(AtriumServer node) {
        if (nodes.remove(node)) {
            node.close();
        }
    }

    /** Waits until every node started here sees all of them. */
    void awaitAllSeeAll() throws Exception {
        await("every node sees " + nodes.size(), () -> nodes.stream()
                .allMatch(node -> node.cluster().liveNodes().size() == nodes.size()));
    }

    static URI webSocket(AtriumServer node) {
        return URI.create("ws://127.0.0.1:" + node.httpAddress().getPort() + "/ws");
    }

    static URI http(AtriumServer node, String path) {
        return URI.create("http://127.0.0.1:" + node.httpAddress().getPort() + path);
    }

    /** A WebSocket client, closed with the fixture. */
    SignalingClient connect(URI uri) throws Exception {
        SignalingClient client = new SignalingClient(uri);
        clients.add(client);
        return client;
    }

    /** A client that sent {@code join} (with {@code "noRedirect": true} when asked); its answer is the caller's to read. */
    SignalingClient join(AtriumServer node, String room, String name, boolean noRedirect) throws Exception {
        SignalingClient client = connect(webSocket(node));
        client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\""
                + (noRedirect ? ",\"noRedirect\":true" : "") + "}");
        return client;
    }

    static HttpResponse<String> get(AtriumServer node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(http(node, path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One sample of the node's /metrics (the first whose name, with its labels, is {@code sample}), or NaN. */
    static double metric(AtriumServer node, String sample) throws Exception {
        for (String line : get(node, "/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ") || !sample.contains("{") && line.startsWith(sample + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Polls until the check holds, failing the test after {@link #WAIT} with the last error seen. */
    static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(50);
        }
        fail(what + " within " + WAIT + (last == null ? "" : " (last error: " + last + ")"));
    }

    /** Clients, then nodes, then Redis (by PID). */
    @Override
    public void close() throws Exception {
        clients.forEach(SignalingClient::close);
        for (AtriumServer node : nodes) {
            node.close();
        }
        redis.close();
    }
}
