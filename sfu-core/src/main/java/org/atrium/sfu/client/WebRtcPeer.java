package org.atrium.sfu.client;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.atrium.dtls.DtlsCertificate;
import org.atrium.dtls.DtlsEndpoint;
import org.atrium.dtls.DtlsRole;
import org.atrium.dtls.Fingerprint;
import org.atrium.rtp.Bye;
import org.atrium.rtp.RtcpIterator;
import org.atrium.rtp.RtcpPacketType;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;
import org.atrium.srtp.SrtpSession;
import org.atrium.sfu.data.DataChannels;
import org.atrium.sfu.transport.ClientIce;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.transport.WebRtcTransport;

/**
 * A browser-like WebRTC client endpoint: full ICE in the controlled role, DTLS as client
 * ({@code a=setup:active}, as Chrome answers the SFU's actpass offer), then SRTP and
 * SRTCP with the exported keys, all on one 5-tuple from one local address. With
 * {@link Roles#OFFERER} it is a client that made the offer instead (WHIP, WHEP): the
 * controlling ICE agent, which nominates the pair, and the DTLS server. Used by the
 * SFU's tests, by the load generator, and meant for an SFU-to-SFU relay.
 *
 * <p>ICE is ice4j's agent on a UDP port of the peer's own ({@link ClientIce}), not a
 * hand-made STUN agent: it is the same implementation the SFU interoperates with through
 * browsers' checks, and it answers the SFU's consent checks (RFC 7675) on its own. The
 * peer originates the checks, because the SFU's single-port candidate cannot send to an
 * address it has not heard from. The port's reading thread hands every DTLS, RTP and RTCP
 * datagram from the SFU's address straight to this class, which decrypts it in place: a
 * load of hundreds of peers shares one reading thread per processor (epoll) and copies
 * nothing, as the server's own sessions do.
 *
 * <p>Received RTP and RTCP are decrypted with the peer's own keys and then either handed
 * to a {@link PacketHandler} on the port's reading thread (no copy; for high rates), or,
 * without a handler, kept as copies in bounded queues ({@link #pollRtp}, {@link #pollRtcp});
 * packets beyond the bound, or that fail to decrypt, are counted.
 *
 * <p>Data channels ({@link #dataChannels}) are optional: without them the peer answers no
 * SCTP, as a browser whose offer had no data section.
 *
 * <p>Thread-safety: sending methods may be called from any thread; the SRTP sessions are
 * thread-safe.
 */
public final class WebRtcPeer implements AutoCloseable {

    /** Received packets kept per queue without a handler; beyond this the newest are dropped and counted. */
    public static final int QUEUE_CAPACITY = 4096;
    /** SSRCs the peer accepts from the SFU over its lifetime. */
    static final int RECEIVED_SSRCS = 4096;

    /**
     * Receives decrypted packets on the peer's port's reading thread. The bytes are borrowed:
     * they are valid only until the method returns and must be copied to be kept. A handler
     * must not block: with epoll the thread reads other peers' ports too.
     */
    public interface PacketHandler {
        /** A decrypted RTP packet and the {@link System#nanoTime()} it was read at. */
        void onRtp(byte[] b, int off, int len, long receivedNanos);

        /** A decrypted RTCP compound packet. */
        void onRtcp(byte[] b, int off, int len);
    }

    /**
     * Sees every SRTP and SRTCP datagram as it came off the wire, before decryption, on
     * the receive thread; borrowed bytes as for {@link PacketHandler}. For captures and
     * diagnostics.
     */
    public interface WireTap {
        void onWire(byte[] b, int off, int len, boolean rtcp);
    }

    /**
     * The ICE and DTLS roles the peer's side of the offer/answer gives it.
     *
     * @param iceControlling whether the peer is the controlling ICE agent, which nominates
     *     (ice4j's own nomination: the first valid pair)
     * @param dtlsRole the peer's DTLS role
     */
    public record Roles(boolean iceControlling, DtlsRole dtlsRole) {
        /** A browser answering the SFU's offer: ICE controlled, DTLS client ({@code a=setup:active}). */
        public static final Roles ANSWERER = new Roles(false, DtlsRole.CLIENT);
        /**
         * A WHIP or WHEP client, which offers ({@code a=setup:actpass}) and gets
         * {@code a=setup:active} back: ICE controlling, DTLS server.
         */
        public static final Roles OFFERER = new Roles(true, DtlsRole.SERVER);
    }
    /** a=sctp-port, ours and the SFU's, as in every browser. */
    private static final int SCTP_PORT = 5000;

    private final String name;
    private final Roles roles;
    /** This peer's DTLS role, from {@link #roles}. */
    private final DtlsRole dtlsRole;
    private final ClientIce ice;
    private final DtlsCertificate certificate;
    private final ExecutorService dtlsThread;
    private final BlockingQueue<byte[]> receivedRtp = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final BlockingQueue<byte[]> receivedRtcp = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final PacketHandler handler;
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();
    private final AtomicLong undecryptable = new AtomicLong();
    private final CountDownLatch mediaReady = new CountDownLatch(1);
    private final CountDownLatch dtlsFailed = new CountDownLatch(1);
    private final AtomicBoolean connectCalled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile DtlsEndpoint dtls;
    private volatile SrtpSession srtpOut;
    private volatile SrtpSession srtpIn;
    /** Used on the receive thread only. */
    private final RtcpIterator rtcpIterator = new RtcpIterator();
    private volatile SrtpProfile profile;
    private volatile SrtpKeyingMaterial keys;
    private volatile String dtlsFailure;
    private volatile boolean silent;
    private volatile WireTap wireTap;
    /** Guards creating the data channels against DTLS coming up at the same time. */
    private final Object dataLock = new Object();
    private volatile PeerDataChannels data;
    private boolean dtlsUp;

    private WebRtcPeer(String name, InetAddress address, PacketHandler handler, Roles roles) throws IOException {
        this.name = name;
        this.roles = roles;
        this.dtlsRole = roles.dtlsRole();
        this.handler = handler;
        this.certificate = DtlsCertificate.generateEcdsaP256();
        this.dtlsThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peer-" + name + "-dtls");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ice = new ClientIce(address, name, roles.iceControlling(), new IceEvents());
        } catch (IOException | RuntimeException e) {
            dtlsThread.shutdownNow();
            throw e;
        }
    }

    /**
     * A new peer with its candidate gathered on 127.0.0.1 and a fresh DTLS certificate;
     * received packets go to the bounded queues.
     */
    public static WebRtcPeer create(String name) throws IOException {
        return new WebRtcPeer(name, InetAddress.getLoopbackAddress(), null, Roles.ANSWERER);
    }

    /**
     * A new peer with its candidate gathered on {@code address} and a fresh DTLS
     * certificate; received packets go to {@code handler}, or to the bounded queues when it
     * is null.
     */
    public static WebRtcPeer create(String name, InetAddress address, PacketHandler handler) throws IOException {
        return new WebRtcPeer(name, address, handler, Roles.ANSWERER);
    }

    /** As {@link #create(String, InetAddress, PacketHandler)}, in the given ICE and DTLS roles. */
    public static WebRtcPeer create(String name, InetAddress address, PacketHandler handler, Roles roles)
            throws IOException {
        return new WebRtcPeer(name, address, handler, roles);
    }

    public Roles roles() {
        return roles;
    }

    public String name() {
        return name;
    }

    public String localUfrag() {
        return ice.localUfrag();
    }

    public String localPassword() {
        return ice.localPassword();
    }

    /** The SHA-256 fingerprint of this peer's DTLS certificate, as its SDP would carry it. */
    public Fingerprint fingerprint() {
        return certificate.fingerprint();
    }

    /** This peer's ICE candidates: one UDP host candidate, on its address. */
    public List<IceCandidate> localCandidates() {
        return ice.localCandidates();
    }

    /**
     * What the SFU learns of this peer from its SDP: credentials, fingerprint, candidates, the
     * SFU's DTLS role (the other one), and its ICE role (controlled when this peer controls).
     */
    public WebRtcTransport.RemoteParameters remoteParametersForSfu() {
        return new WebRtcTransport.RemoteParameters(localUfrag(), localPassword(), fingerprint(),
                dtlsRole == DtlsRole.CLIENT ? DtlsRole.SERVER : DtlsRole.CLIENT, localCandidates(),
                !roles.iceControlling());
    }

    /** Connects to the SFU's side of a transport, with the parameters of its offer. */
    public void connect(WebRtcTransport sfuSide) {
        connect(sfuSide.iceUfrag(), sfuSide.icePassword(), new Fingerprint("sha-256", sfuSide.fingerprintSha256()),
                sfuSide.localCandidates());
    }

    /**
     * Starts ICE towards the remote candidates, then DTLS (in this peer's role) once ICE
     * completes. The DTLS handshake accepts only a certificate with the given fingerprint.
     */
    public void connect(String remoteUfrag, String remotePassword, Fingerprint remoteFingerprint,
            List<IceCandidate> remoteCandidates) {
        if (!connectCalled.compareAndSet(false, true)) {
            throw new IllegalStateException("connect() once per peer");
        }
        dtls = new DtlsEndpoint(dtlsRole, certificate, remoteFingerprint, new DtlsEvents());
        ice.start(remoteUfrag, remotePassword, remoteCandidates);
    }

    private final class IceEvents implements ClientIce.Listener {
        /**
         * The selected pair starts DTLS: controlled, once the SFU has nominated it; controlling,
         * once this peer's nomination is confirmed. A connected peer so has nothing of ICE left
         * to do, and a test that stops it then meets consent, not a nomination, going unanswered.
         */
        @Override
        public void onConnected() {
            if (!closed.get()) {
                dtls.start(dtlsThread);
            }
        }

        @Override
        public void onFailed() {
            dtlsFailure = "ICE failed";
            dtlsFailed.countDown();
        }

        @Override
        public void onDatagram(byte[] buf, int off, int len) {
            if (!closed.get()) {
                WebRtcPeer.this.onDatagram(buf, off, len);
            }
        }
    }

    /**
     * Waits until DTLS has finished and SRTP is ready.
     *
     * @throws TimeoutException when not connected in time
     * @throws IllegalStateException when ICE or DTLS failed
     */
    public void awaitConnected(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!mediaReady.await(20, TimeUnit.MILLISECONDS)) {
            if (dtlsFailed.getCount() == 0) {
                throw new IllegalStateException("peer " + name + " failed to connect: " + dtlsFailure);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("peer " + name + " not connected within " + timeout
                        + " (ICE " + ice.state() + ")");
            }
        }
    }

    public boolean isConnected() {
        return mediaReady.getCount() == 0;
    }

    /**
     * Waits for the DTLS handshake (or ICE) to fail; returns why, or null if it did not
     * fail within the timeout.
     */
    public String awaitFailure(Duration timeout) throws InterruptedException {
        return dtlsFailed.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? dtlsFailure : null;
    }

    /** The negotiated SRTP profile, or null before DTLS has finished. */
    public SrtpProfile srtpProfile() {
        return profile;
    }

    /**
     * The SRTP keys exported from the DTLS handshake, or null before it has finished; for
     * diagnostics such as decrypting a capture.
     */
    public SrtpKeyingMaterial srtpKeyingMaterial() {
        return keys;
    }

    /** Sees every received SRTP/SRTCP datagram before decryption from now on; null to stop. */
    public void setWireTap(WireTap tap) {
        wireTap = tap;
    }

    /**
     * Protects a plain RTP packet in place and sends it, allocating nothing: {@code b}
     * needs {@link SrtpSession#MAX_TRAILER} bytes of room after the packet. Returns the
     * bytes sent, or a negative {@link org.atrium.srtp.SrtpError} when SRTP refused the
     * packet, or -1 when the send failed (counted in {@link #sendFailureCount()}).
     *
     * @throws IllegalStateException before SRTP is ready or after the peer has stopped
     */
    public int sendRtpInPlace(byte[] b, int off, int len) {
        SrtpSession out = requireMedia();
        int length = out.protectRtp(b, off, len);
        return length < 0 ? length : sendProtected(b, off, length);
    }

    /** As {@link #sendRtpInPlace} for a plain RTCP compound packet. */
    public int sendRtcpInPlace(byte[] b, int off, int len) {
        SrtpSession out = requireMedia();
        int length = out.protectRtcp(b, off, len);
        return length < 0 ? length : sendProtected(b, off, length);
    }

    private int sendProtected(byte[] b, int off, int length) {
        if (silent || closed.get()) {
            throw new IllegalStateException("peer " + name + " has stopped");
        }
        if (ice.send(b, off, length)) {
            return length;
        }
        // UDP: a failed send is a lost datagram; the caller's statistics show it.
        sendFailures.incrementAndGet();
        return -1;
    }

    /**
     * This peer's data channels, with a timer thread of their own; created on the first call.
     * The association starts (INIT) as soon as DTLS is up, or at once when it already is.
     */
    public PeerDataChannels dataChannels() {
        return dataChannels(null);
    }

    /**
     * As {@link #dataChannels()}, with the association's timers on a scheduler shared with other
     * peers (a load of many peers); the scheduler is the caller's to stop. Only the first call's
     * scheduler counts.
     */
    public PeerDataChannels dataChannels(ScheduledExecutorService timers) {
        PeerDataChannels created;
        boolean up;
        synchronized (dataLock) {
            if (data != null) {
                return data;
            }
            if (closed.get()) {
                throw new IllegalStateException("peer " + name + " has stopped");
            }
            created = new PeerDataChannels(DataChannels.config(SCTP_PORT), dtlsRole == DtlsRole.CLIENT,
                    this::sendDataPacket, timers);
            data = created;
            up = dtlsUp;
        }
        if (up) {
            created.start();
        }
        return created;
    }

    private boolean sendDataPacket(byte[] b, int off, int len) {
        DtlsEndpoint endpoint = dtls;
        return !silent && endpoint != null && endpoint.sendApplicationData(b, off, len) == len;
    }

    /** Sends that failed in the socket ({@link #sendRtpInPlace}, {@link #sendRtcpInPlace}). */
    public long sendFailureCount() {
        return sendFailures.get();
    }

    /** Protects a copy of a plain RTP packet with this peer's sending keys; returns the SRTP bytes. */
    public byte[] protectRtp(byte[] plainRtp) {
        SrtpSession out = requireMedia();
        byte[] buf = Arrays.copyOf(plainRtp, plainRtp.length + SrtpSession.MAX_TRAILER);
        int length = out.protectRtp(buf, 0, plainRtp.length);
        if (length < 0) {
            throw new IllegalArgumentException("SRTP refused the packet: error " + length);
        }
        return Arrays.copyOf(buf, length);
    }

    /** Protects a copy of a plain RTCP compound packet; returns the SRTCP bytes. */
    public byte[] protectRtcp(byte[] plainRtcp) {
        SrtpSession out = requireMedia();
        byte[] buf = Arrays.copyOf(plainRtcp, plainRtcp.length + SrtpSession.MAX_TRAILER);
        int length = out.protectRtcp(buf, 0, plainRtcp.length);
        if (length < 0) {
            throw new IllegalArgumentException("SRTCP refused the packet: error " + length);
        }
        return Arrays.copyOf(buf, length);
    }

    /** Protects and sends a plain RTP packet; returns the bytes sent, for replaying them. */
    public byte[] sendRtp(byte[] plainRtp) throws IOException {
        byte[] protectedPacket = protectRtp(plainRtp);
        sendRaw(protectedPacket);
        return protectedPacket;
    }

    /** Protects and sends a plain RTCP compound packet; returns the bytes sent. */
    public byte[] sendRtcp(byte[] plainRtcp) throws IOException {
        byte[] protectedPacket = protectRtcp(plainRtcp);
        sendRaw(protectedPacket);
        return protectedPacket;
    }

    /** Sends bytes as they are on the ICE pair: from this peer's address to the SFU's. */
    public void sendRaw(byte[] datagram) throws IOException {
        if (silent || closed.get()) {
            throw new IllegalStateException("peer " + name + " has stopped");
        }
        if (!ice.send(datagram, 0, datagram.length)) {
            throw new IOException("peer " + name + ": not sent (no valid ICE pair, or the socket refused it)");
        }
    }

    /** Without a handler: the next decrypted RTP packet received, or null when none arrives within the timeout. */
    public byte[] pollRtp(Duration timeout) throws InterruptedException {
        return receivedRtp.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Without a handler: the next decrypted RTCP compound packet received, or null when none arrives within the timeout. */
    public byte[] pollRtcp(Duration timeout) throws InterruptedException {
        return receivedRtcp.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Forgets every packet received so far. */
    public void clearReceived() {
        receivedRtp.clear();
        receivedRtcp.clear();
    }

    /** SRTP or SRTCP packets that did not decrypt with this peer's keys. */
    public long undecryptableCount() {
        return undecryptable.get();
    }

    /** Packets dropped because a queue was full (only without a handler). */
    public long overflowCount() {
        return overflow.get();
    }

    /**
     * Vanishes without a word, like a browser tab that was killed: no DTLS close_notify,
     * no more answers to consent checks, nothing received. The UDP socket is closed, so
     * the SFU's checks go unanswered.
     */
    public void stopResponding() {
        silent = true;
        shutDown();
    }

    /** Closes DTLS (sending close_notify when connected), ICE and the threads. Idempotent. */
    @Override
    public void close() {
        shutDown();
    }

    private void shutDown() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        PeerDataChannels channels;
        synchronized (dataLock) {
            channels = data;
        }
        if (channels != null) {
            // Before DTLS closes, so that the ABORT still goes out; a vanishing peer sends none.
            channels.close(!silent);
        }
        DtlsEndpoint endpoint = dtls;
        if (endpoint != null) {
            endpoint.close();
        }
        ice.close();
        dtlsThread.shutdownNow();
    }

    private SrtpSession requireMedia() {
        SrtpSession out = srtpOut;
        if (out == null) {
            throw new IllegalStateException("peer " + name + " has no SRTP keys yet");
        }
        return out;
    }

    /** Demultiplexes by first byte (RFC 7983) and RTP against RTCP by second (RFC 5761). */
    private void onDatagram(byte[] buf, int off, int len) {
        if (silent || len < 2) {
            return;
        }
        int first = buf[off] & 0xFF;
        if (first >= 20 && first <= 63) {
            DtlsEndpoint endpoint = dtls;
            if (endpoint != null) {
                endpoint.receive(buf, off, len);
            }
            return;
        }
        SrtpSession in = srtpIn;
        if (first < 128 || first > 191 || in == null) {
            return;
        }
        int second = buf[off + 1] & 0xFF;
        boolean rtcp = second >= 192 && second <= 223;
        WireTap tap = wireTap;
        if (tap != null) {
            tap.onWire(buf, off, len, rtcp);
        }
        long receivedNanos = System.nanoTime();
        int plainLength = rtcp ? in.unprotectRtcp(buf, off, len) : in.unprotectRtp(buf, off, len);
        if (plainLength < 0) {
            undecryptable.incrementAndGet();
            return;
        }
        if (rtcp) {
            forgetEndedStreams(in, buf, off, plainLength);
        }
        if (handler != null) {
            if (rtcp) {
                handler.onRtcp(buf, off, plainLength);
            } else {
                handler.onRtp(buf, off, plainLength, receivedNanos);
            }
            return;
        }
        byte[] copy = Arrays.copyOfRange(buf, off, off + plainLength);
        if (!(rtcp ? receivedRtcp : receivedRtp).offer(copy)) {
            overflow.incrementAndGet();
        }
    }

    /**
     * A BYE ends its streams (RFC 3550 6.6): their SRTP state is freed, as a browser frees
     * it, so that a long stay in a busy room keeps nothing of streams that are gone.
     */
    private void forgetEndedStreams(SrtpSession in, byte[] b, int off, int len) {
        RtcpIterator packets = rtcpIterator;
        packets.reset(b, off, len);
        while (packets.next()) {
            if (packets.packetType() == RtcpPacketType.BYE && Bye.is(b, packets.offset(), packets.length())) {
                for (int i = 0; i < Bye.ssrcCount(b, packets.offset()); i++) {
                    in.removeSsrc((int) Bye.ssrc(b, packets.offset(), i));
                }
            }
        }
    }

    /** SSRCs with SRTP receiving state for RTP: the streams this peer receives. */
    public int receivedSsrcCount() {
        SrtpSession in = srtpIn;
        return in == null ? 0 : in.rtpSsrcCount();
    }

    private final class DtlsEvents implements DtlsEndpoint.Listener {
        @Override
        public void sendDatagram(byte[] b, int off, int len) {
            // DTLS retransmits its flights: a lost send is a lost datagram.
            if (!silent) {
                ice.send(b, off, len);
            }
        }

        @Override
        public void onConnected(SrtpProfile negotiated, SrtpKeyingMaterial material) {
            profile = negotiated;
            keys = material;
            // Like a browser, it takes every stream the SFU sends over its lifetime, however
            // many participants came and went.
            boolean client = dtlsRole == DtlsRole.CLIENT;
            srtpIn = SrtpSession.forReceiving(negotiated, material.remoteKey(client), material.remoteSalt(client),
                    RECEIVED_SSRCS, SrtpSession.DEFAULT_RTP_REPLAY_WINDOW);
            srtpOut = SrtpSession.forSending(negotiated, material.localKey(client), material.localSalt(client));
            mediaReady.countDown();
            PeerDataChannels channels;
            synchronized (dataLock) {
                dtlsUp = true;
                channels = data;
            }
            if (channels != null) {
                channels.start();
            }
        }

        @Override
        public void onApplicationData(byte[] b, int off, int len) {
            PeerDataChannels channels = data;
            if (channels != null && !silent) {
                channels.receive(b, off, len);
            }
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            dtlsFailure = reason;
            dtlsFailed.countDown();
        }
    }

    @Override
    public String toString() {
        return "WebRtcPeer[" + name + " " + localCandidates() + "]";
    }
}
