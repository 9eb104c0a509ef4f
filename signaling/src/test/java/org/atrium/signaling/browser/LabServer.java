package org.atrium.signaling.browser;

import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;
import org.atrium.sfu.SfuConfig;
import org.atrium.signaling.AtriumServer;
import org.atrium.signaling.ServerConfig;

/**
 * An Atrium server in this JVM on a {@link NetworkLab}'s server address: HTTP/WebSocket and the
 * media port bound to 10.77.0.1 on free ports, the only host candidate it announces.
 */
public final class LabServer implements AutoCloseable {

    private final AtriumServer server;
    private final String host;

    private LabServer(AtriumServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /** A server with the default settings. */
    public static LabServer start(NetworkLab lab) throws Exception {
        return start(lab, UnaryOperator.identity());
    }

    /** A server with its settings changed by {@code settings} (the lab's addresses already set). */
    public static LabServer start(NetworkLab lab, UnaryOperator<ServerConfig> settings) throws Exception {
        String host = lab.serverAddress().getHostAddress();
        SfuConfig sfu = SfuConfig.defaults().withMedia(lab.serverAddress(), 0, List.of());
        return new LabServer(new AtriumServer(settings.apply(new ServerConfig(host, 0, null, null, false, sfu))),
                host);
    }

    public AtriumServer server() {
        return server;
    }

    /** {@code http://10.77.0.1:PORT}: the origin of the server's pages. */
    public URI origin() {
        return URI.create("http://" + host + ":" + server.httpAddress().getPort());
    }

    /** A URL on the server, e.g. {@code http("/room/demo?name=Ada")}. */
    public String http(String pathAndQuery) {
        return origin() + pathAndQuery;
    }

    @Override
    public void close() {
        server.close();
    }
}
