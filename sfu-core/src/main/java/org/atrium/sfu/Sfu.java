package org.atrium.sfu;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.atrium.dtls.DtlsCertificate;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.util.LogContext;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.ParticipantListener;
import org.atrium.sfu.media.ForwardingLanes;
import org.atrium.sfu.relay.RelayLinks;
import org.atrium.sfu.stats.DataMetrics;
import org.atrium.sfu.room.Rooms;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.sfu.transport.TcpMediaPort;
import org.atrium.sfu.transport.UdpMediaPort;
import org.atrium.sfu.transport.WebRtcTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media server: the shared UDP port (and the ICE-TCP port), the DTLS certificate, the rooms, and the
 * threads that serve them. Knows nothing of SDP or JSON.
 */
public final class Sfu implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sfu.class);

    private final SfuConfig config;
    private final UdpMediaPort mediaPort;
    /** Null when ICE-TCP is off. */
    private final TcpMediaPort tcpPort;
    private final DtlsCertificate certificate;
    private final SfuMetrics metrics;
    private final ExecutorService handshakes;
    private final ScheduledExecutorService timers;
    private final Rooms rooms;
    private final ForwardingLanes lanes;
    private final RelayLinks relayLinks;
    private volatile boolean closed;

    /** A server whose meters are kept in a registry of its own, not exported. */
    public Sfu(SfuConfig config) throws IOException {
        this(config, new SimpleMeterRegistry());
    }

    /** A server whose meters are registered in {@code registry}, to be exported from there. */
    public Sfu(SfuConfig config, MeterRegistry registry) throws IOException {
        this.config = config;
        this.metrics = new SfuMetrics(registry);
        this.certificate = DtlsCertificate.generateEcdsaP256();
        // One socket and event loop per forwarding lane (epoll), each lane on its loop; with no
        // lanes, one loop forwards what it reads, as one reading thread did before.
        this.mediaPort = new UdpMediaPort(config.mediaBindAddress(), config.mediaPort(), config.announcedAddresses(),
                Math.max(1, config.forwardingThreads()));
        this.tcpPort = openTcpPort(config, mediaPort);
        // BC's DTLS handshake blocks its thread until done: one per handshake in progress.
        this.handshakes = Executors.newCachedThreadPool(daemonThreads("atrium-dtls"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("atrium-timer"));
        this.lanes = new ForwardingLanes(config.forwardingThreads(), metrics, mediaPort.loops());
        this.rooms = new Rooms(this::newTransport, metrics, config.capabilities(),
                config.keyframeMinInterval().toNanos(), timers, config.maxParticipantsPerRoom(), config.maxRooms(),
                config.packetCache(), lanes);
        this.relayLinks = new RelayLinks(this::newTransport, rooms::room, config.capabilities(), timers,
                metrics.relay(), new DataMetrics(new SimpleMeterRegistry()));
        every(1000, "Timeout check", this::checkTimeouts);
        every(1000, "Bitrate sampling", () -> rooms.sampleBitrates(System.nanoTime()));
        bindGauges(registry);
        every(300, "Active speaker detection", () -> rooms.detectActiveSpeakers(System.nanoTime()));
        // Each receiver's layers follow its estimate within a few hundred ms.
        every(100, "Bandwidth allocation", () -> rooms.allocateBandwidth(System.nanoTime()));
        // Congestion feedback is due every 100 ms, or sooner when many packets are
        // waiting, reports about once a second: look often.
        every(20, "Periodic RTCP", () -> rooms.sendPeriodicRtcp(System.nanoTime() / 1000));
        LOG.info("Media on UDP {} (candidates {})", mediaPort.localAddress(), mediaPort.candidates());
        if (tcpPort != null) {
            LOG.info("ICE-TCP on {} (candidates {})", tcpPort.localAddress(), tcpPort.candidates());
        } else {
            LOG.info("ICE-TCP off");
        }
    }

    /** The ICE-TCP port on the UDP port's address, or null when off; closes the UDP port if it cannot bind. */
    private static TcpMediaPort openTcpPort(SfuConfig config, UdpMediaPort udp) throws IOException {
        if (!config.iceTcpEnabled()) {
            return null;
        }
        try {
            return new TcpMediaPort(udp.localAddress().getAddress(), config.iceTcpPort(), config.announcedAddresses());
        } catch (IOException | RuntimeException e) {
            udp.close();
            throw e;
        }
    }

    private WebRtcTransport newTransport(LogContext context, WebRtcTransport.Listener listener) throws IOException {
        return new WebRtcTransport(context, mediaPort, tcpPort, certificate, handshakes, metrics, config.inboundLimit(),
                listener);
    }

    /** Gauges read on scrape, from the rooms as they are then. */
    private void bindGauges(MeterRegistry registry) {
        Gauge.builder("atrium.rooms", rooms, Rooms::roomCount).description("Rooms with at least one participant")
                .strongReference(true).register(registry);
        Gauge.builder("atrium.participants", rooms, Rooms::participantCount).description("Participants in all rooms")
                .strongReference(true).register(registry);
        for (MediaKind kind : MediaKind.values()) {
            Gauge.builder("atrium.published.tracks", rooms, r -> r.producerCount(kind))
                    .description("Tracks published by participants").tag("kind", kind.sdpName())
                    .strongReference(true).register(registry);
        }
        Gauge.builder("atrium.ice.sessions", mediaPort, UdpMediaPort::sessionCount)
                .description("ICE sessions open on the media port, one per participant's transport")
                .strongReference(true).register(registry);
        FunctionCounter.builder("atrium.ice.tcp.connections", this, Sfu::iceTcpAccepted).tag("result", "accepted")
                .description("ICE-TCP connections handed to a participant's session, and closed before one"
                        + " (over the bound of waiting connections, silent for 5 s, or not ICE)").register(registry);
        FunctionCounter.builder("atrium.ice.tcp.connections", this, Sfu::iceTcpRefused).tag("result", "refused")
                .description("ICE-TCP connections handed to a participant's session, and closed before one"
                        + " (over the bound of waiting connections, silent for 5 s, or not ICE)").register(registry);
        Gauge.builder("atrium.media.port.loops", mediaPort, port -> Math.max(1, port.loops().length))
                .description("Sockets and reading threads on the media port; transport: epoll (batched) or nio")
                .tag("transport", mediaPort.transportKind()).strongReference(true).register(registry);
        FunctionCounter.builder("atrium.media.port.send.refused", mediaPort, UdpMediaPort::sendBufferFull)
                .tag("reason", "buffer_full")
                .description("Datagrams the media port did not send: its send queue or the kernel's buffer was full"
                        + " (buffer_full), or the kernel refused them (error)").register(registry);
        FunctionCounter.builder("atrium.media.port.send.refused", mediaPort, UdpMediaPort::sendErrors)
                .tag("reason", "error")
                .description("Datagrams the media port did not send: its send queue or the kernel's buffer was full"
                        + " (buffer_full), or the kernel refused them (error)").register(registry);
        FunctionCounter.builder("atrium.media.port.unknown.source", mediaPort, UdpMediaPort::datagramsFromStrangers)
                .description("Datagrams dropped because they came from an address no session knows and were no"
                        + " connectivity check naming one").register(registry);
        FunctionCounter.builder("atrium.media.port.receive.dropped", mediaPort, UdpMediaPort::receiveDropped)
                .description("Datagrams the kernel dropped because the media port's receive buffer was full (Linux):"
                        + " the server fell behind, and connectivity checks and DTLS are lost with the media")
                .register(registry);
        // Asking chooses (and logs) the SRTP AES-GCM implementation now, at start, not at the first session.
        Gauge.builder("atrium.srtp.aes.gcm", () -> 1)
                .description("1, with the AES-GCM implementation SRTP uses: accp (Amazon Corretto Crypto Provider)"
                        + " where its native library loads, else jdk")
                .tag("implementation", org.atrium.srtp.SrtpCrypto.gcmImplementation()).strongReference(true)
                .register(registry);
        Gauge.builder("atrium.forwarding.backlog", lanes, ForwardingLanes::backlog)
                .description("Packets and retransmissions waiting in the forwarding threads' queues")
                .strongReference(true).register(registry);
        Gauge.builder("atrium.subscriptions", rooms, Rooms::consumerCount)
                .description("Streams being forwarded to receivers, one per track and receiver")
                .strongReference(true).register(registry);
    }

    /**
     * Joins a room, creating it if needed.
     *
     * @throws org.atrium.sfu.room.RoomException when a limit refuses the join
     */
    public Participant join(String roomName, String displayName, ParticipantListener listener) throws IOException {
        return rooms.join(roomName, displayName, listener);
    }

    /**
     * Joins a room with the identity and grants signaling established.
     *
     * @throws org.atrium.sfu.room.RoomException when a limit refuses the join
     */
    public Participant join(String roomName, org.atrium.sfu.room.Admission admission, ParticipantListener listener)
            throws IOException {
        return rooms.join(roomName, admission, listener);
    }

    public Rooms rooms() {
        return rooms;
    }

    /** The links of this server's rooms to other nodes of a cluster. */
    public RelayLinks relayLinks() {
        return relayLinks;
    }

    public SfuConfig config() {
        return config;
    }

    public SfuMetrics metrics() {
        return metrics;
    }

    /** ICE sessions open on the media port. */
    public int iceSessionCount() {
        return mediaPort.sessionCount();
    }

    /** The media port's bound address. */
    public InetSocketAddress mediaAddress() {
        return mediaPort.localAddress();
    }

    /** The ICE-TCP port's bound address, or null when ICE-TCP is off. */
    public InetSocketAddress iceTcpAddress() {
        return tcpPort == null ? null : tcpPort.localAddress();
    }

    /** ICE-TCP connections handed to a session (0 when ICE-TCP is off). */
    public long iceTcpAccepted() {
        return tcpPort == null ? 0 : tcpPort.acceptedConnections();
    }

    /** ICE-TCP connections closed before reaching a session: over the bound, silent, or not ICE. */
    public long iceTcpRefused() {
        return tcpPort == null ? 0 : tcpPort.refusedConnections();
    }

    /**
     * Runs a task on the timer thread every {@code periodMillis}. A failure is logged and
     * the task keeps its schedule: an exception would otherwise cancel it for good.
     */
    private void every(long periodMillis, String what, Runnable task) {
        timers.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed", what, e);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void checkTimeouts() {
        long now = System.currentTimeMillis();
        long ice = config.iceTimeout().toMillis();
        long consent = config.consentTimeout().toMillis();
        for (Participant participant : rooms.participants()) {
            participant.transport().checkTimeouts(now, ice, consent);
        }
        relayLinks.checkTimeouts(now, ice, consent);
    }

    /** The media port's I/O: {@code epoll} or {@code nio}. */
    public String mediaTransport() {
        return mediaPort.transportKind();
    }

    /** True until shutdown begins: the media port is bound and joins are taken. */
    public boolean isOpen() {
        return !closed && rooms.isAcceptingJoins();
    }

    /** Removes every participant, then releases the port and the threads. */
    @Override
    public void close() {
        closed = true;
        relayLinks.close();
        rooms.closeAll(LeaveReason.SHUTDOWN);
        timers.shutdownNow();
        handshakes.shutdownNow();
        mediaPort.close();
        if (tcpPort != null) {
            tcpPort.close();
        }
        lanes.close();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
