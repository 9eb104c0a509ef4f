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
        AtriumServer server;
        try {
            server = new AtriumServer(config);
        } catch (java.io.IOException e) {
            log.error("Cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        String scheme = config.tlsCertificate() != null || config.tlsSelfSigned() ? "https" : "http";
        var http = server.httpAddress();
        log.info("Atrium is up: open {}://{}:{}/room/demo", scheme, http.getHostString(), http.getPort());
        log.info("Metrics at {}://{}:{}/metrics, stats at /api/rooms{}", scheme, http.getHostString(),
                http.getPort(), config.adminToken() == null ? " (open: no --admin-token)" : " (admin token required)");
        if (config.isPublic() && scheme.equals("http")) {
            log.warn("HTTP is reachable from other hosts without TLS: browsers allow the camera only on https or "
                    + "localhost. Use --tls-cert/--tls-key.");
        }
        if (!config.needsJoinTokens() && config.isPublic()) {
            log.warn("!!! Joins need no token and {} is reachable from other hosts: anyone may join any room, "
                    + "publish and watch. Set --jwt-secret or --jwt-public-key (docs/operations.md). !!!",
                    config.httpHost());
        } else if (!config.needsJoinTokens()) {
            log.info("Joins need no token (open, for local development on loopback)");
        } else {
            log.info("Joins need a signed token ({})", config.jwtSecret() != null && config.jwtPublicKey() != null
                    ? "HS256 or ES256" : config.jwtSecret() != null ? "HS256" : "ES256");
        }
        if (config.isPublic() && config.adminToken() == null) {
            log.warn("The stats API (/api/rooms) is reachable from other hosts without a token: set --admin-token.");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.time.Duration drainTimeout = config.cluster() == null ? java.time.Duration.ZERO
                : config.cluster().drainTimeout();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, drainTimeout, log, stopped),
                "atrium-shutdown"));
        stopped.await();
    }

    /** The longest a SIGTERM waits for clients to be told and ports released. */
    static final long SHUTDOWN_BOUND_MILLIS = 10_000;

    /**
     * On SIGTERM: a node of a cluster with another node to move to first drains (its
     * participants move, at most {@code drainTimeout}); then it stops taking joins, tells
     * every client, closes transports and ports, within {@link #SHUTDOWN_BOUND_MILLIS}; the
     * process exits then even if something hangs.
     */
    private static void stop(AtriumServer server, java.time.Duration drainTimeout, Logger log,
            CountDownLatch stopped) {
        if (!drainTimeout.isZero()) {
            try {
                if (!server.drain(drainTimeout) && server.cluster() != null) {
                    log.info("No other node of the cluster takes participants: stopping without draining");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("Draining failed; stopping", e);
            }
        }
        log.info("Stopping: refusing joins, telling {} participant(s)", server.sfu().rooms().participantCount());
        long started = System.nanoTime();
        Thread closer = new Thread(server::close, "atrium-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(SHUTDOWN_BOUND_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            log.warn("Shutdown did not finish within {} ms; exiting anyway", SHUTDOWN_BOUND_MILLIS);
        } else {
            log.info("Stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
        stopped.countDown();
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
