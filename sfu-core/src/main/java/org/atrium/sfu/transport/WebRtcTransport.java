package org.atrium.sfu.transport;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import org.atrium.dtls.DtlsCertificate;
import org.atrium.dtls.DtlsEndpoint;
import org.atrium.dtls.DtlsRole;
import org.atrium.dtls.Fingerprint;
import org.atrium.rtp.RtcpCompound;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.SfuConfig;
import org.atrium.sfu.stats.DropReason;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.sfu.util.LogContext;
import org.atrium.srtp.SrtpError;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;
import org.atrium.srtp.SrtpSession;
import org.ice4j.util.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's media transport: ICE, then DTLS, then SRTP, on one 5-tuple
 * (BUNDLE, rtcp-mux).
 *
 * <p>Each incoming datagram is classified once (RFC 7983), decrypted in place, checked,
 * and handed to the {@link Listener}. Nothing on this path throws: bad packets are
 * dropped and counted by reason.
 */
public final class WebRtcTransport {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);

    /** Events of the transport. Media callbacks run on the receive thread and must not block. */
    public interface Listener {
        /** DTLS finished and SRTP is ready in both directions. */
        void onMediaReady();

        /** The transport failed and is closed. Called at most once. */
        void onFailed(TransportFailure failure, String detail);

        /**
         * A decrypted RTP packet with a valid header, in the SFU's own payload types and
         * extension ids (see {@link #setPayloadMapping}). The bytes are valid only during the
         * call and have at least {@link UdpMediaPort#TAIL_ROOM} free bytes after them.
         */
        void onRtp(byte[] buf, int off, int len, long receivedNanos);

        /** A decrypted, validated RTCP compound packet, valid only during the call. */
        void onRtcp(byte[] buf, int off, int len);

        /**
         * DTLS application data: one SCTP packet of the data channels (RFC 8261), valid only
         * during the call; on the DTLS thread, after {@link #onMediaReady}.
         */
        default void onDataPacket(byte[] buf, int off, int len) {
        }
    }

    /**
     * What the remote side said of itself in its SDP.
     *
     * @param localDtlsRole the SFU's DTLS role, as the answer's a=setup made it
     * @param iceControlling whether the SFU is the controlling ICE agent: the offerer controls
     *     (RFC 8445 6.1.1), so true when the SFU offered, false when it answers a client's offer
     *     (WHIP, WHEP), unless that client is ICE-lite
     */
    public record RemoteParameters(
            String iceUfrag, String icePassword, Fingerprint fingerprint, DtlsRole localDtlsRole,
            List<IceCandidate> candidates, boolean iceControlling) {

        /** The SFU offered: it is the controlling agent. */
        public RemoteParameters(String iceUfrag, String icePassword, Fingerprint fingerprint, DtlsRole localDtlsRole,
                List<IceCandidate> candidates) {
            this(iceUfrag, icePassword, fingerprint, localDtlsRole, candidates, true);
        }
    }

    /** SSRCs this transport may send: audio, video and RTX of a few hundred other participants. */
    static final int MAX_SENT_SSRCS = 1024;

    private final String name;
    private final LogContext logContext;
    /** Receive thread only. */
    private final InboundRateLimiter inboundLimit;
    /** The ICE agent: a new one after each ICE restart, with the same ports. */
    private volatile IceTransport ice;
    private final UdpMediaPort port;
    private final TcpMediaPort tcpPort;
    /** Counts ICE agents: the events of one an ICE restart replaced are ignored. */
    private int iceGeneration;
    private volatile boolean iceControlling = true;
    private final java.util.concurrent.atomic.AtomicBoolean dtlsStarted = new java.util.concurrent.atomic.AtomicBoolean();
    private final DtlsCertificate certificate;
    private final Executor handshakeExecutor;
    private final SfuMetrics metrics;
    private final Listener listener;
    private final List<IceCandidate> localCandidates;
    private final long createdMillis = System.currentTimeMillis();
    private final Object rtcpLock = new Object();
    private final byte[] rtcpBuffer = new byte[1500 + SrtpSession.MAX_TRAILER];

    private final EarlyMediaHold earlyMedia = new EarlyMediaHold();
    /** Made once: a lambda capturing this would be a new object per packet. */
    private final EarlyMediaHold.Release handleHeld = (buf, off, len) -> onSrtpOrSrtcp(PacketClass.of(buf, off, len),
            buf, off, len);

    /** Null: the remote side uses the canonical numbers, and packets cross unchanged. */
    private volatile PayloadMapping payloadMapping;
    private volatile DtlsRole dtlsRole = DtlsRole.SERVER;
    private volatile DtlsEndpoint dtls;
    private volatile SrtpSession srtpIn;
    private volatile SrtpSession srtpOut;
    private volatile SrtpProfile profile;
    private volatile long iceStartedMillis;
    private volatile long iceConnectedMillis;
    private volatile long iceConnectedNanos;
    private volatile TransportFailure failure;
    private volatile boolean mediaReady;
    private volatile boolean failed;
    private volatile boolean closed;
    /** SRTCP packets authenticated: written by the receiving thread only, read by the timeout check. */
    private volatile int rtcpAuthenticated;
    /** The timeout check's own. */
    private final ConsentExpiry consentExpiry = new ConsentExpiry();

    /**
     * @param logContext the room and participant it serves, for logs; its participant
     *     names the ICE stream
     * @param tcpPort the ICE-TCP port, or null when ICE-TCP is off
     */
    public WebRtcTransport(LogContext logContext, UdpMediaPort port, TcpMediaPort tcpPort, DtlsCertificate certificate,
            Executor handshakeExecutor, SfuMetrics metrics, SfuConfig.InboundLimit inboundLimit, Listener listener)
            throws IOException {
        this.logContext = logContext;
        this.inboundLimit = new InboundRateLimiter(inboundLimit, System.nanoTime());
        this.name = logContext.participant();
        this.certificate = certificate;
        this.handshakeExecutor = handshakeExecutor;
        this.metrics = metrics;
        this.listener = listener;
        this.localCandidates = tcpPort == null ? port.candidates() : concat(port.candidates(), tcpPort.candidates());
        this.port = port;
        this.tcpPort = tcpPort;
        this.ice = new IceTransport(port, tcpPort, name, new IceListener(0));
    }

    private static List<IceCandidate> concat(List<IceCandidate> first, List<IceCandidate> second) {
        List<IceCandidate> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    public String iceUfrag() {
        return ice.localUfrag();
    }

    public String icePassword() {
        return ice.localPassword();
    }

    public List<IceCandidate> localCandidates() {
        return localCandidates;
    }

    /** The SFU's DTLS role, as the remote side's answer set it (SERVER until then). */
    public DtlsRole dtlsRole() {
        return dtlsRole;
    }

    /**
     * Sends one SCTP packet of the data channels as DTLS application data; false before DTLS
     * is up or after the transport closed. Not to be called concurrently with itself.
     */
    public boolean sendDataPacket(byte[] buf, int off, int len) {
        DtlsEndpoint endpoint = dtls;
        return !closed && mediaReady && endpoint != null && endpoint.sendApplicationData(buf, off, len) == len;
    }

    /**
     * Makes this transport rewrite payload types and header extension ids between the remote
     * side's numbers and the SFU's, in both directions; null (the default) sends and delivers
     * packets unchanged. Any thread, before or after {@link #start}; packets already on their way
     * keep the mapping they started with.
     */
    public void setPayloadMapping(PayloadMapping mapping) {
        payloadMapping = mapping;
    }

    /** The mapping set by {@link #setPayloadMapping}, or null. */
    public PayloadMapping payloadMapping() {
        return payloadMapping;
    }

    /** SHA-256 fingerprint of the SFU's DTLS certificate, for a=fingerprint. */
    public String fingerprintSha256() {
        return certificate.fingerprintSha256();
    }

    /**
     * Applies the remote side's ICE and DTLS parameters and starts ICE. Later calls
     * (re-negotiations) only add candidates: an ICE restart is {@link #restartIce}. When the SFU
     * answers, call this before the answer leaves, so that the client's first checks meet the
     * ICE role it expects.
     */
    public void start(RemoteParameters remote) {
        if (closed) {
            return;
        }
        if (dtls == null) {
            dtlsRole = remote.localDtlsRole();
            dtls = new DtlsEndpoint(remote.localDtlsRole(), certificate, remote.fingerprint(), new DtlsListener());
            iceStartedMillis = System.currentTimeMillis();
            iceControlling = remote.iceControlling();
            ice.start(remote.iceUfrag(), remote.icePassword(), remote.candidates(), remote.iceControlling());
        } else {
            for (IceCandidate candidate : remote.candidates()) {
                ice.addRemoteCandidate(candidate);
            }
        }
    }

    /**
     * Starts as {@link #start} towards another server, which sends no check before it is
     * checked: the media port first lets this session reach the remote candidates.
     */
    public void startTowardsServer(RemoteParameters remote) {
        if (closed || dtls != null) {
            return;
        }
        ice.openTo(remote.candidates());
        start(remote);
    }

    /**
     * An ICE restart (RFC 8445 9, RFC 8839 4.4.1.1.1): a new ICE agent on the same ports, with
     * new local credentials ({@link #iceUfrag()} and {@link #icePassword()} say which) and the
     * remote side's new ones; DTLS and SRTP carry on over the pair it selects, in the same
     * ICE and DTLS roles. The old agent is closed at once: ice4j's single-port harvester hands
     * each remote address to the agent that paired with it first, so the old agent would take
     * the new checks of a client that has not moved. Media stops until the new agent
     * connects; when it does not within the ICE timeout, the transport fails.
     *
     * @throws IOException when the new agent cannot be made; the old one is then kept
     * @throws IllegalStateException before {@link #start} or after close
     */
    public synchronized void restartIce(String remoteUfrag, String remotePassword, List<IceCandidate> candidates)
            throws IOException {
        if (closed || failed || dtls == null) {
            throw new IllegalStateException("no ICE session to restart");
        }
        IceTransport fresh = new IceTransport(port, tcpPort, name, new IceListener(++iceGeneration));
        IceTransport old = ice;
        ice = fresh;
        old.close();
        iceStartedMillis = System.currentTimeMillis();
        metrics.ice(SfuMetrics.IceOutcome.RESTARTED);
        try (LogContext.Scope scope = logContext.open()) {
            LOG.info("ICE restart: local ufrag {} replaces {}", fresh.localUfrag(), old.localUfrag());
        }
        fresh.start(remoteUfrag, remotePassword, candidates, iceControlling);
    }

    /** A remote candidate trickled through signaling; ignored before {@link #start}. */
    public void addRemoteCandidate(IceCandidate candidate) {
        if (ice.isStarted()) {
            ice.addRemoteCandidate(candidate);
        }
    }

    public boolean isIceStarted() {
        return ice.isStarted();
    }

    public boolean isIceConnected() {
        return ice.isConnected();
    }

    /** Whether the SFU is the controlling ICE agent (true until {@link #start} says otherwise). */
    public boolean isIceControlling() {
        return ice.isControlling();
    }

    /** When consent (RFC 7675) was last confirmed by the SFU's own checks, or 0 before ICE connected. */
    public long lastConsentMillis() {
        return ice.lastConsentMillis();
    }

    /** True once SRTP is ready and the listener has handled {@link Listener#onMediaReady()}. */
    public boolean isMediaReady() {
        return mediaReady;
    }

    /** Frees the SRTP state of an SSRC this transport will send no more (its stream ended). */
    public void forgetSentSsrc(long ssrc) {
        SrtpSession out = srtpOut;
        if (out != null) {
            out.removeSsrc((int) ssrc);
        }
    }

    /** Frees the SRTP state of an SSRC this transport will receive no more (its track ended). */
    public void forgetReceivedSsrc(long ssrc) {
        SrtpSession in = srtpIn;
        if (in != null) {
            in.removeSsrc((int) ssrc);
        }
    }

    /** SSRCs with SRTP receiving state for RTP: the streams this participant sends. */
    public int receivedSsrcCount() {
        SrtpSession in = srtpIn;
        return in == null ? 0 : in.rtpSsrcCount();
    }

    /** SSRCs with SRTP sending state for RTP: the streams being sent to this participant. */
    public int sentSsrcCount() {
        SrtpSession out = srtpOut;
        return out == null ? 0 : out.rtpSsrcCount();
    }

    /** The negotiated SRTP profile, or null before DTLS finishes. */
    public SrtpProfile srtpProfile() {
        return profile;
    }

    /** ICE as the stats API shows it: new, checking, connected, failed or closed. */
    public String iceState() {
        TransportFailure reason = failure;
        if (reason == TransportFailure.ICE_FAILED || reason == TransportFailure.CONSENT_EXPIRED) {
            return "failed";
        }
        if (closed) {
            return "closed";
        }
        return ice.isConnected() ? "connected" : ice.isStarted() ? "checking" : "new";
    }

    /** DTLS as the stats API shows it: new, connecting, connected, failed or closed. */
    public String dtlsState() {
        if (failure == TransportFailure.DTLS_FAILED) {
            return "failed";
        }
        if (closed) {
            return "closed";
        }
        return srtpOut != null ? "connected" : ice.isConnected() ? "connecting" : "new";
    }

    /** The selected candidate pair as "local -> remote", or null. */
    public String selectedPair() {
        return ice.selectedPair();
    }

    /** The selected candidate pair with its types and protocol, or null before ICE connects. */
    public SelectedPair selectedCandidatePair() {
        return ice.selectedCandidatePair();
    }

    /**
     * Checks timeouts; called about once a second, from one thread. Fails the transport when ICE
     * has not connected within {@code iceTimeoutMillis} of starting, or when consent lapsed as
     * {@link ConsentExpiry} says: nothing heard from the peer for {@code consentTimeoutMillis},
     * or no consent check answered for RFC 7675's 30 s.
     */
    public void checkTimeouts(long nowMillis, long iceTimeoutMillis, long consentTimeoutMillis) {
        if (closed || failed) {
            return;
        }
        String lapsed = consentExpiry.check(nowMillis, ice.lastConsentMillis(), rtcpAuthenticated, consentTimeoutMillis);
        if (ice.isConnected()) {
            if (lapsed != null) {
                fail(TransportFailure.CONSENT_EXPIRED, lapsed);
            }
        } else {
            long since = iceStartedMillis > 0 ? iceStartedMillis : createdMillis;
            if (nowMillis - since > iceTimeoutMillis) {
                fail(TransportFailure.ICE_FAILED, "not connected after " + (nowMillis - since) + " ms");
            }
        }
    }

    /**
     * Protects an RTP packet in place and sends it: every RTP packet to this participant
     * (media, retransmissions, probes) leaves through here. The buffer needs
     * {@link SrtpSession#MAX_TRAILER} free bytes after {@code len}; its bytes are the
     * transport's from the call on (rewritten, then encrypted, in place).
     *
     * @return true if sent
     */
    public boolean sendRtp(byte[] buf, int off, int len) {
        SrtpSession out = srtpOut;
        if (out == null || closed) {
            return false;
        }
        PayloadMapping mapping = payloadMapping;
        if (mapping != null) {
            DropReason refused = mapping.toRemote(buf, off, len);
            if (refused != null) {
                metrics.drop(refused);
                return false;
            }
        }
        int protectedLength = out.protectRtp(buf, off, len);
        if (protectedLength < 0) {
            metrics.drop(DropReason.SRTP_OTHER);
            return false;
        }
        return sendDatagram(buf, off, protectedLength);
    }

    /**
     * Copies an RTCP compound packet, protects and sends it. Safe from any thread. Never
     * mapped: RTCP names streams by SSRC and carries no payload types or extension ids.
     *
     * @return true if sent
     */
    public boolean sendRtcp(byte[] buf, int off, int len) {
        SrtpSession out = srtpOut;
        if (out == null || closed || len > 1500) {
            return false;
        }
        synchronized (rtcpLock) {
            System.arraycopy(buf, off, rtcpBuffer, 0, len);
            int protectedLength = out.protectRtcp(rtcpBuffer, 0, len);
            if (protectedLength < 0) {
                metrics.drop(DropReason.SRTP_OTHER);
                return false;
            }
            if (!sendDatagram(rtcpBuffer, 0, protectedLength)) {
                return false;
            }
        }
        metrics.rtcpSent(len);
        return true;
    }

    private boolean sendDatagram(byte[] buf, int off, int len) {
        try {
            switch (ice.send(buf, off, len)) {
                case IceTransport.SENT:
                    return true;
                case IceTransport.TCP_QUEUE_FULL:
                    metrics.drop(DropReason.QUEUE_FULL);
                    return false;
                default:
                    metrics.drop(DropReason.SEND_FAILED);
                    return false;
            }
        } catch (IOException e) {
            metrics.drop(DropReason.SEND_FAILED);
            return false;
        }
    }

    private void onDatagram(Buffer buffer) {
        try {
            byte[] buf = buffer.getBuffer();
            int off = buffer.getOffset();
            int len = buffer.getLength();
            PacketClass packetClass = PacketClass.of(buf, off, len);
            switch (packetClass) {
                case DTLS -> {
                    DtlsEndpoint endpoint = dtls;
                    if (endpoint != null) {
                        endpoint.receive(buf, off, len);
                    } else {
                        metrics.drop(DropReason.NOT_READY);
                    }
                }
                case RTP, RTCP -> {
                    if (!inboundLimit.tryAcquire(len, System.nanoTime())) {
                        metrics.drop(DropReason.RATE_LIMITED);
                    } else if (srtpIn == null) {
                        if (dtls == null || failed || !earlyMedia.hold(buf, off, len)) {
                            metrics.drop(DropReason.NOT_READY);
                        }
                    } else {
                        earlyMedia.release(handleHeld);
                        onSrtpOrSrtcp(packetClass, buf, off, len);
                    }
                }
                default -> metrics.drop(DropReason.UNKNOWN_PROTOCOL);
            }
        } finally {
            IceTransport.release(buffer);
        }
    }

    private void onSrtpOrSrtcp(PacketClass packetClass, byte[] buf, int off, int len) {
        if (packetClass == PacketClass.RTCP) {
            onSrtcp(buf, off, len);
        } else {
            onSrtp(buf, off, len);
        }
    }

    private void onSrtp(byte[] buf, int off, int len) {
        SrtpSession in = srtpIn;
        if (in == null) {
            metrics.drop(DropReason.NOT_READY);
            return;
        }
        if (RtpPacket.validate(buf, off, len) != null) {
            metrics.drop(DropReason.MALFORMED_RTP);
            return;
        }
        int plainLength = in.unprotectRtp(buf, off, len);
        if (plainLength < 0) {
            metrics.drop(srtpDropReason(plainLength));
            return;
        }
        if (RtpPacket.validate(buf, off, plainLength) != null) {
            // Padding is only readable after decryption.
            metrics.drop(DropReason.MALFORMED_RTP);
            return;
        }
        PayloadMapping mapping = payloadMapping;
        if (mapping != null) {
            DropReason refused = mapping.toCanonical(buf, off, plainLength);
            if (refused != null) {
                metrics.drop(refused);
                return;
            }
        }
        listener.onRtp(buf, off, plainLength, System.nanoTime());
    }

    private void onSrtcp(byte[] buf, int off, int len) {
        SrtpSession in = srtpIn;
        if (in == null) {
            metrics.drop(DropReason.NOT_READY);
            return;
        }
        int plainLength = in.unprotectRtcp(buf, off, len);
        if (plainLength < 0) {
            metrics.drop(srtpDropReason(plainLength));
            return;
        }
        if (RtcpCompound.validate(buf, off, plainLength) != null) {
            metrics.drop(DropReason.MALFORMED_RTCP);
            return;
        }
        metrics.rtcpReceived(plainLength);
        rtcpAuthenticated++;
        listener.onRtcp(buf, off, plainLength);
    }

    private static DropReason srtpDropReason(int error) {
        if (error == SrtpError.AUTH_FAILED) {
            return DropReason.SRTP_AUTH;
        }
        if (error == SrtpError.REPLAYED) {
            return DropReason.SRTP_REPLAY;
        }
        return DropReason.SRTP_OTHER;
    }

    private void fail(TransportFailure failure, String detail) {
        if (closed || failed) {
            return;
        }
        failed = true;
        this.failure = failure;
        switch (failure) {
            case ICE_FAILED -> metrics.ice(SfuMetrics.IceOutcome.FAILED);
            case CONSENT_EXPIRED -> metrics.ice(SfuMetrics.IceOutcome.CONSENT_LOST);
            case DTLS_FAILED -> metrics.dtlsFailed();
        }
        try (LogContext.Scope scope = logContext.open()) {
            LOG.info("Transport failed: {} ({})", failure, detail);
            close();
            listener.onFailed(failure, detail);
        }
    }

    /** Stops ICE and DTLS. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DtlsEndpoint endpoint = dtls;
        if (endpoint != null) {
            endpoint.close();
        }
        ice.close();
    }

    /** Events of one ICE agent; those of an agent an ICE restart replaced are ignored (its datagrams are not). */
    private final class IceListener implements IceTransport.Listener {
        private final int generation;

        IceListener(int generation) {
            this.generation = generation;
        }

        private boolean current() {
            synchronized (WebRtcTransport.this) {
                return generation == iceGeneration;
            }
        }

        @Override
        public void onIceConnected(String localAddress, String remoteAddress) {
            if (!current()) {
                return;
            }
            iceConnectedMillis = System.currentTimeMillis();
            iceConnectedNanos = System.nanoTime();
            metrics.ice(SfuMetrics.IceOutcome.CONNECTED);
            try (LogContext.Scope scope = logContext.open()) {
                LOG.debug("ICE connected {} -> {}", localAddress, remoteAddress);
            }
            DtlsEndpoint endpoint = dtls;
            // After an ICE restart the handshake is long done: DTLS carries on over the new pair.
            if (endpoint != null && dtlsStarted.compareAndSet(false, true)) {
                endpoint.start(handshakeExecutor);
            }
        }

        @Override
        public void onIceFailed() {
            if (current()) {
                fail(TransportFailure.ICE_FAILED, "ICE checks failed");
            }
        }

        @Override
        public void onDatagram(Buffer buffer) {
            WebRtcTransport.this.onDatagram(buffer);
        }

        @Override
        public void onDatagramFromStranger() {
            metrics.drop(DropReason.UNKNOWN_SOURCE);
        }

        @Override
        public void onPacketTooLarge() {
            metrics.drop(DropReason.TOO_LARGE);
        }
    }

    private final class DtlsListener implements DtlsEndpoint.Listener {
        @Override
        public void sendDatagram(byte[] buf, int off, int len) {
            WebRtcTransport.this.sendDatagram(buf, off, len);
        }

        @Override
        public void onConnected(SrtpProfile negotiated, SrtpKeyingMaterial keys) {
            boolean client = dtlsRole == DtlsRole.CLIENT;
            profile = negotiated;
            srtpIn = SrtpSession.forReceiving(negotiated, keys.remoteKey(client), keys.remoteSalt(client));
            // The SFU picks its own SSRCs, one or two per stream sent to this participant:
            // a large room needs far more than the default, which guards the receive side.
            srtpOut = SrtpSession.forSending(negotiated, keys.localKey(client), keys.localSalt(client),
                    MAX_SENT_SSRCS);
            long now = System.currentTimeMillis();
            metrics.dtlsConnected(System.nanoTime() - iceConnectedNanos);
            try (LogContext.Scope scope = logContext.open()) {
                LOG.info("Transport connected: ICE {} ms after the answer, DTLS {} ms later, {}",
                        iceConnectedMillis - iceStartedMillis, now - iceConnectedMillis, negotiated);
                listener.onMediaReady();
            }
            mediaReady = true;
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            fail(TransportFailure.DTLS_FAILED, reason);
        }

        @Override
        public void onApplicationData(byte[] buf, int off, int len) {
            if (!closed) {
                listener.onDataPacket(buf, off, len);
            }
        }
    }

}
