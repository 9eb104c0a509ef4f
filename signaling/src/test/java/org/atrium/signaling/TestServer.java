package org.atrium.signaling;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;
import org.atrium.sfu.SfuConfig;

/** An Atrium server on loopback with free ports, for tests. */
public final class TestServer implements AutoCloseable {

    private final AtriumServer server;

    private TestServer(ServerConfig config) throws Exception {
        server = new AtriumServer(config);
    }

    public static TestServer start() throws Exception {
        return start(SfuConfig.defaults());
    }

    public static TestServer start(SfuConfig sfu) throws Exception {
        SfuConfig onLoopback = sfu.withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of());
        return new TestServer(new ServerConfig("127.0.0.1", 0, null, null, false, onLoopback));
    }

    /** With the loopback defaults changed by {@code settings} (join tokens, limits, ...). */
    public static TestServer start(UnaryOperator<ServerConfig> settings) throws Exception {
        SfuConfig onLoopback = SfuConfig.defaults().withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of());
        return new TestServer(settings.apply(new ServerConfig("127.0.0.1", 0, null, null, false, onLoopback)));
    }

    /** With an admin token for /api/* (and /metrics when {@code metricsToo}). */
    public static TestServer startWithAdminToken(String token, boolean metricsToo) throws Exception {
        SfuConfig onLoopback = SfuConfig.defaults().withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of());
        return new TestServer(new ServerConfig("127.0.0.1", 0, null, null, false, onLoopback)
                .withAdminToken(token, metricsToo));
    }

    /** On a given HTTP port (a restart of a server the browsers already know), media on any free port. */
    public static TestServer startOnPort(int httpPort) throws Exception {
        SfuConfig onLoopback = SfuConfig.defaults().withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of());
        return new TestServer(new ServerConfig("127.0.0.1", httpPort, null, null, false, onLoopback));
    }

    public AtriumServer server() {
        return server;
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + path);
    }

    public URI webSocket() {
        return URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws");
    }

    @Override
    public void close() {
        server.close();
    }
}
