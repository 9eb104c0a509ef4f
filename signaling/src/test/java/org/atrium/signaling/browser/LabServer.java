package org.atrium.signaling.browser;

import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;
import org.atrium.sfu.SfuConfig;
import org.atrium.signaling.AtriumServer;
import org.atrium.signaling.ServerConfig;

/**
 * An Atrium server in this JVM on a {@link NetworkLab}'s server address: HTTP/WebSocket and the
 * media port bound to 10.77.0.1 on free ports, the only host candidate it announces; HTTPS when
 * the settings give it a certificate.
 */
public final class LabServer implements AutoCloseable {

    private final AtriumServer server;
    private final String host;
    private final String scheme;

    private LabServer(AtriumServer server, String host, String scheme) {
        this.server = server;
        this.host = host;
        this.scheme = scheme;
    }

    /** A server with the default settings. */
    public static LabServer start(NetworkLab lab) throws Exception {
        return start(lab, UnaryOperator.identity());
    }

    /** A server with its settings changed by {@code settings} (the lab's addresses already set). */
    public static LabServer start(NetworkLab lab, UnaryOperator<ServerConfig> settings) throws Exception {
        String host = lab.serverAddress().getHostAddress();
        SfuConfig sfu = SfuConfig.defaults().withMedia(lab.serverAddress(), 0, List.of());
        ServerConfig config = settings.apply(new ServerConfig(host, 0, null, null, false, sfu));
        return new LabServer(new AtriumServer(config), host, config.tlsCertificate() != null ? "https" : "http");
    }

    public AtriumServer server() {
        return server;
    }

    /** {@code http://10.77.0.1:PORT} ({@code https} with a certificate): the origin of the server's pages. */
    public URI origin() {
        return URI.create(scheme + "://" + host + ":" + server.httpAddress().getPort());
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
