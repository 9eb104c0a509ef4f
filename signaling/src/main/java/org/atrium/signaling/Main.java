package org.atrium.signaling;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Starts Atrium: {@code java -jar atrium.jar [options]}; see {@link ServerConfig#USAGE}. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // ice4j logs through java.util.logging: route it to the same place as ours.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        ServerConfig config;
        try {
            config = ServerConfig.from(System.getenv(), args);
        } catch (ServerConfig.HelpRequested e) {
            System.out.print(ServerConfig.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("atrium: " + e.getMessage());
            System.err.print(ServerConfig.USAGE);
            System.exit(2);
            return;
        }
        AtriumServer server = new AtriumServer(config);
        String scheme = config.tlsCertificate() != null || config.tlsSelfSigned() ? "https" : "http";
        var http = server.httpAddress();
        LOG.info("Atrium is up: open {}://{}:{}/room/demo", scheme, http.getHostString(), http.getPort());
        if (config.isPublic() && scheme.equals("http")) {
            LOG.warn("HTTP is reachable from other hosts without TLS: browsers allow the camera only on https or "
                    + "localhost. Use --tls-cert/--tls-key.");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping");
            server.close();
            stopped.countDown();
        }, "atrium-shutdown"));
        stopped.await();
    }
}
