package org.atrium.sfu.turn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded TURN server (RFC 8656): the sans-I/O {@link TurnEngine} behind listeners for UDP,
 * TCP and TLS, with relay sockets in a port range.
 *
 * <p>Threads: one reads the UDP listener, one reads every relay socket, two serve each TCP or TLS
 * connection (reader, writer), one accepts per stream listener, and one expires allocations each
 * second. Each of them calls into the engine, which is thread-safe.
 */
public final class TurnServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TurnServer.class);

    private final TurnEngine engine;
    private final RelaySockets relays;
    private final UdpTurnListener udp;
    private final StreamTurnListener tcp;
    private final StreamTurnListener tls;
    private final ScheduledExecutorService expiry;

    /**
     * Binds every listener that is switched on and starts serving.
     *
     * @param tlsContext the certificate for TURN over TLS; null leaves TLS off whatever the port says
     */
    public TurnServer(TurnListeners listeners, TurnConfig config, SSLContext tlsContext, TurnMetrics metrics)
            throws IOException {
        this(listeners, config, tlsContext, metrics, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
    }

    /** @param firstMessageTimeoutMillis how long a new TCP or TLS connection may stay silent; shorter in tests */
    TurnServer(TurnListeners listeners, TurnConfig config, SSLContext tlsContext, TurnMetrics metrics,
            int firstMessageTimeoutMillis) throws IOException {
        AtomicInteger streams = new AtomicInteger();
        UdpTurnListener udpListener = null;
        StreamTurnListener tcpListener = null;
        StreamTurnListener tlsListener = null;
        RelaySockets relaySockets = new RelaySockets(listeners.bindAddress(), listeners.relayPortMin(),
                listeners.relayPortMax());
        try {
            if (listeners.udpPort() >= 0) {
                udpListener = new UdpTurnListener(new InetSocketAddress(listeners.bindAddress(), listeners.udpPort()));
            }
            if (listeners.tcpPort() >= 0) {
                tcpListener = new StreamTurnListener(new InetSocketAddress(listeners.bindAddress(), listeners.tcpPort()),
                        null, listeners.maxConnections(), streams, metrics, firstMessageTimeoutMillis);
            }
            if (listeners.tlsPort() >= 0 && tlsContext != null) {
                tlsListener = new StreamTurnListener(new InetSocketAddress(listeners.bindAddress(), listeners.tlsPort()),
                        tlsContext, listeners.maxConnections(), streams, metrics, firstMessageTimeoutMillis);
            }
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable open : new AutoCloseable[] {udpListener, tcpListener, tlsListener, relaySockets}) {
                closeQuietly(open);
            }
            throw e;
        }
        this.relays = relaySockets;
        this.udp = udpListener;
        this.tcp = tcpListener;
        this.tls = tlsListener;
        this.engine = new TurnEngine(config, new Io(), metrics);
        relays.start(engine);
        for (Object listener : new Object[] {udp, tcp, tls}) {
            if (listener instanceof UdpTurnListener u) {
                u.start(engine);
            } else if (listener instanceof StreamTurnListener s) {
                s.start(engine);
            }
        }
        expiry = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "atrium-turn-expiry");
            thread.setDaemon(true);
            return thread;
        });
        expiry.scheduleWithFixedDelay(() -> {
            try {
                engine.expire(System.currentTimeMillis());
            } catch (RuntimeException e) {
                LOG.error("TURN expiry failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        LOG.info("TURN on UDP {}, TCP {}, TLS {}; relays from {} ports {}-{}", describe(udpAddress()),
                describe(tcpAddress()), describe(tlsAddress()), listeners.bindAddress().getHostAddress(),
                listeners.relayPortMin(), listeners.relayPortMax());
    }

    private static String describe(InetSocketAddress address) {
        return address == null ? "off" : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** The UDP listener's bound address, or null when TURN over UDP is off. */
    public InetSocketAddress udpAddress() {
        return udp == null ? null : udp.localAddress();
    }

    /** The TCP listener's bound address, or null when off. */
    public InetSocketAddress tcpAddress() {
        return tcp == null ? null : tcp.localAddress();
    }

    /** The TLS listener's bound address, or null when off (no port, or no certificate). */
    public InetSocketAddress tlsAddress() {
        return tls == null ? null : tls.localAddress();
    }

    /** Allocations alive now, over every transport. */
    public int allocationCount() {
        return engine.allocationCount();
    }

    /** Stops serving, releases every port, and ends every allocation (the allocation gauges return to zero). */
    @Override
    public void close() {
        expiry.shutdownNow();
        for (AutoCloseable open : new AutoCloseable[] {udp, tcp, tls, relays}) {
            closeQuietly(open);
        }
        // Everything expires at the end of time; the relays are closed already, so this only forgets them.
        engine.expire(Long.MAX_VALUE);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed", closeable, e);
        }
    }

    /** The engine's way out: to clients through the listener they came in on, and relay sockets. */
    private final class Io implements TurnIo {
        @Override
        public void sendToClient(TurnClient client, byte[] buf, int off, int len) {
            switch (client.transport()) {
                case UDP -> {
                    if (udp != null) {
                        udp.send(client.remote(), buf, off, len);
                    }
                }
                case TCP -> {
                    if (tcp != null) {
                        tcp.send(client.remote(), buf, off, len);
                    }
                }
                case TLS -> {
                    if (tls != null) {
                        tls.send(client.remote(), buf, off, len);
                    }
                }
            }
        }

        @Override
        public RelaySocket openRelay(TurnClient client) {
            return relays.open();
        }
    }
}
