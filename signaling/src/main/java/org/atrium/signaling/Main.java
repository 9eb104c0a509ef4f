package org.atrium.signaling;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Starts Atrium: {@code java -jar atrium.jar [options]}; see {@link ServerConfig#USAGE}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
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
        configureLogging(config.logFormat());
        Logger log = LoggerFactory.getLogger(Main.class);
        AtriumServer server = new AtriumServer(config);
        String scheme = config.tlsCertificate() != null || config.tlsSelfSigned() ? "https" : "http";
        var http = server.httpAddress();
        log.info("Atrium is up: open {}://{}:{}/room/demo", scheme, http.getHostString(), http.getPort());
        log.info("Metrics at {}://{}:{}/metrics, stats at /api/rooms{}", scheme, http.getHostString(),
                http.getPort(), config.adminToken() == null ? " (open: no --admin-token)" : " (admin token required)");
        if (config.isPublic() && scheme.equals("http")) {
            log.warn("HTTP is reachable from other hosts without TLS: browsers allow the camera only on https or "
                    + "localhost. Use --tls-cert/--tls-key.");
        }
        if (config.isPublic() && config.adminToken() == null) {
            log.warn("The stats API (/api/rooms) is reachable from other hosts without a token: set --admin-token.");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping");
            server.close();
            stopped.countDown();
        }, "atrium-shutdown"));
        stopped.await();
    }

    /**
     * Applies the log format, then routes java.util.logging (ice4j's) into SLF4J. The
     * format is a property that logback.xml reads, so logback is configured again once
     * it is set.
     */
    static void configureLogging(String format) throws JoranException {
        System.setProperty("atrium.log.format", format);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            new ContextInitializer(context).autoConfig();
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
