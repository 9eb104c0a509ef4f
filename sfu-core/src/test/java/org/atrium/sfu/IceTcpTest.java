package org.atrium.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.atrium.dtls.DtlsCertificate;
import org.atrium.dtls.DtlsEndpoint;
import org.atrium.dtls.DtlsRole;
import org.atrium.dtls.Fingerprint;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.stats.DropReason;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.transport.SelectedPair;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;
import org.atrium.srtp.SrtpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ICE-TCP (RFC 6544) on real sockets: a client connects to the SFU's passive TCP candidate
 * as Chromium's active candidate does, with every packet in an RFC 4571 frame.
 */
@Timeout(60)
class IceTcpTest {

    private static final String CLIENT_UFRAG = "tcpc";
    private static final String CLIENT_PASSWORD = "client-password-0123456789";
    private static final long WAIT_MILLIS = 10_000;
    private static final long TCP_SSRC = 0x7C9A0001L;
    private static final long UDP_SSRC = 0x0D9A0002L;

    private final Random random = new Random(6544);
    private SfuFixture fixture;
    private Sfu sfu;
    private ExecutorService dtlsThread;

    @BeforeEach
    void startSfu() throws Exception {
        fixture = new SfuFixture();
        sfu = fixture.sfu();
        dtlsThread = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stopSfu() throws Exception {
        dtlsThread.shutdownNow();
        fixture.close();
    }

    @Test
    void offersAPassiveTcpHostCandidateRankedBelowUdp() throws Exception {
        InetSocketAddress tcp = sfu.iceTcpAddress();
        assertNotNull(tcp);
        assertEquals(sfu.mediaAddress().getAddress(), tcp.getAddress());
        List<IceCandidate> candidates = join("offer").transport().localCandidates();
        assertEquals(2, candidates.size(), candidates.toString());
        IceCandidate udp = candidates.get(0);
        IceCandidate passive = candidates.get(1);
        assertEquals("udp", udp.protocol());
        assertNull(udp.tcpType());
        assertEquals(new IceCandidate("t1", 1, "tcp", passive.priority(), "127.0.0.1", tcp.getPort(), "host", null, -1,
                "passive"), passive);
        // RFC 6544 4.2: type preference 90, local preference 4 * 2^13 + 8191 (passive, not NATed).
        assertEquals((90L << 24) + (40959L << 8) + 255, passive.priority());
        assertTrue(passive.priority() < IceCandidate.priority(100, 65535, 1), "below even a UDP srflx");
    }

    @Test
    void bindingRequestIsAnsweredInAFrameOnTheSameConnection() throws Exception {
        Participant participant = join("stun");
        WebRtcTransport transport = participant.transport();
        participant.startTransport(parameters(DtlsCertificate.generateEcdsaP256()));
        try (TcpIceClient client = new TcpIceClient(sfu.iceTcpAddress())) {
            client.socket().setSoTimeout((int) WAIT_MILLIS);
            sendCheck(client, transport);
            byte[] response = nextResponse(client);
            assertEquals(0x0101, TcpIceClient.stunType(response), "Binding success response");
        }
        assertEquals(1, sfu.iceTcpAccepted());
    }

    /** The whole way a browser without UDP goes: ICE, then DTLS, then SRTP keys, over one TCP connection. */
    @Test
    void dtlsOverTcpMakesTheTransportMediaReady() throws Exception {
        try (TcpPeer peer = connectOverTcp("dtls")) {
            WebRtcTransport transport = peer.participant.transport();
            SelectedPair pair = transport.selectedCandidatePair();
            String clientAddress = "127.0.0.1:" + peer.client.socket().getLocalPort();
            assertEquals(new SelectedPair("host", "prflx", "tcp", "127.0.0.1:" + sfu.iceTcpAddress().getPort(),
                    clientAddress), pair);
            // The browser's active candidate (port 9), trickled late, names what the check found.
            transport.addRemoteCandidate(new IceCandidate("9", 1, "tcp", 1518280447L, "127.0.0.1", 9, "host", null, -1,
                    IceCandidate.TCP_ACTIVE));
            assertEquals("host", transport.selectedCandidatePair().remoteType());

            // A frame longer than any packet is dropped and counted; the connection carries on.
            long tooLarge = sfu.metrics().drops(DropReason.TOO_LARGE);
            byte[] huge = new byte[4000];
            huge[0] = (byte) 0x80;
            peer.client.send(huge, 0, huge.length);
            awaitTrue(() -> sfu.metrics().drops(DropReason.TOO_LARGE) == tooLarge + 1, "over-long frame dropped");
            assertTrue(transport.isMediaReady());

            // Leaving closes the connection.
            peer.participant.leave();
            awaitTrue(peer.reader::isDone, "connection closed by the SFU");
        }
    }

    /** SRTP both ways between a participant on ICE-TCP and one on UDP. */
    @Test
    void mediaFlowsBetweenATcpAndAUdpParticipant() throws Exception {
        try (TcpPeer tcp = connectOverTcp("over-tcp")) {
            PeerInRoom udp = fixture.connected("tcp-room", "over-udp");

            tcp.participant.publish("0", MediaKind.VIDEO, TCP_SSRC, -1);
            Consumer toUdp = udp.listener().nextConsumerAdded(Duration.ofMillis(WAIT_MILLIS));
            assertNotNull(toUdp);
            toUdp.resume();
            udp.participant().publish("0", MediaKind.VIDEO, UDP_SSRC, -1);
            Consumer toTcp = tcp.listener.nextConsumerAdded(Duration.ofMillis(WAIT_MILLIS));
            assertNotNull(toTcp);
            toTcp.resume();

            byte[] sent = videoPacket(TCP_SSRC, 1);
            tcp.sendRtp(sent);
            byte[] atUdp = udp.peer().pollRtp(Duration.ofMillis(WAIT_MILLIS));
            assertNotNull(atUdp, "forwarded from TCP to UDP");
            assertArrayEquals(ForwardingTest.payloadOf(sent), ForwardingTest.payloadOf(atUdp));

            byte[] fromUdp = videoPacket(UDP_SSRC, 2);
            udp.peer().sendRtp(fromUdp);
            byte[] atTcp = tcp.pollRtp(WAIT_MILLIS);
            assertNotNull(atTcp, "forwarded from UDP to TCP");
            assertArrayEquals(ForwardingTest.payloadOf(fromUdp), ForwardingTest.payloadOf(atTcp));
        }
    }

    private static byte[] videoPacket(long ssrc, int sequence) {
        byte[] payload = new byte[200];
        new Random(sequence).nextBytes(payload);
        payload[0] = 0x10;
        return rtp(ssrc, 96).sequenceNumber(sequence).timestamp(3000L * sequence).payload(payload).build();
    }

    /**
     * A client connected over ICE-TCP as a browser without UDP connects: it sends the first
     * check, answers the SFU's, starts DTLS (client) when its check succeeded, and decrypts
     * what the SFU sends it.
     */
    private TcpPeer connectOverTcp(String name) throws Exception {
        RecordingParticipantListener listener = new RecordingParticipantListener();
        Participant participant = sfu.join("tcp-room", name, listener);
        WebRtcTransport transport = participant.transport();
        DtlsCertificate certificate = DtlsCertificate.generateEcdsaP256();
        participant.startTransport(parameters(certificate));
        TcpIceClient client = new TcpIceClient(sfu.iceTcpAddress());
        TcpPeer peer = new TcpPeer(participant, listener, client);
        client.socket().setSoTimeout(0);
        peer.dtls = new DtlsEndpoint(DtlsRole.CLIENT, certificate,
                new Fingerprint("sha-256", transport.fingerprintSha256()), peer);
        Thread reader = new Thread(peer::readLoop, "test-ice-tcp-" + name);
        reader.setDaemon(true);
        reader.start();
        sendCheck(client, transport);
        awaitTrue(transport::isIceConnected, "ICE connected over TCP");
        // A browser starts DTLS once its own check has succeeded.
        awaitTrue(peer.checkAnswered::get, "the client's check answered");
        peer.dtls.start(dtlsThread);
        assertTrue(peer.connected.await(WAIT_MILLIS, TimeUnit.MILLISECONDS), "client DTLS connected");
        awaitTrue(transport::isMediaReady, "SFU side media-ready");
        return peer;
    }

    /** The client's half of a participant on ICE-TCP. */
    private static final class TcpPeer implements DtlsEndpoint.Listener, AutoCloseable {
        final Participant participant;
        final RecordingParticipantListener listener;
        final TcpIceClient client;
        final CountDownLatch connected = new CountDownLatch(1);
        final AtomicBoolean checkAnswered = new AtomicBoolean();
        final CompletableFuture<Void> reader = new CompletableFuture<>();
        final BlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
        volatile DtlsEndpoint dtls;
        volatile SrtpSession srtpOut;
        volatile SrtpSession srtpIn;

        TcpPeer(Participant participant, RecordingParticipantListener listener, TcpIceClient client) {
            this.participant = participant;
            this.listener = listener;
            this.client = client;
        }

        void readLoop() {
            try {
                while (true) {
                    byte[] frame = client.receive();
                    if (TcpIceClient.isStun(frame)) {
                        int type = TcpIceClient.stunType(frame);
                        if (type == 0x0001) {
                            answer(client, frame);
                        } else if (type == 0x0101) {
                            checkAnswered.set(true);
                        }
                    } else if ((frame[0] & 0xFF) >= 20 && (frame[0] & 0xFF) <= 63) {
                        dtls.receive(frame, 0, frame.length);
                    } else if (isRtp(frame) && srtpIn != null) {
                        byte[] room = java.util.Arrays.copyOf(frame, frame.length);
                        int length = srtpIn.unprotectRtp(room, 0, room.length);
                        if (length > 0) {
                            rtp.add(java.util.Arrays.copyOf(room, length));
                        }
                    }
                }
            } catch (Exception e) {
                // The connection closed.
            } finally {
                reader.complete(null);
            }
        }

        private static boolean isRtp(byte[] frame) {
            int payloadType = frame.length > 1 ? frame[1] & 0x7F : 0;
            return (frame[0] & 0xC0) == 0x80 && (payloadType < 64 || payloadType > 95);
        }

        void sendRtp(byte[] plain) throws IOException {
            byte[] packet = java.util.Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TRAILER);
            int length = srtpOut.protectRtp(packet, 0, plain.length);
            client.send(packet, 0, length);
        }

        byte[] pollRtp(long millis) throws InterruptedException {
            return rtp.poll(millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void sendDatagram(byte[] b, int off, int len) {
            try {
                client.send(b, off, len);
            } catch (IOException e) {
                // The handshake retransmits.
            }
        }

        @Override
        public void onConnected(SrtpProfile profile, SrtpKeyingMaterial keys) {
            srtpOut = SrtpSession.forSending(profile, keys.localKey(true), keys.localSalt(true));
            srtpIn = SrtpSession.forReceiving(profile, keys.remoteKey(true), keys.remoteSalt(true));
            connected.countDown();
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
        }

        @Override
        public void close() throws IOException {
            client.close();
            participant.leave();
        }
    }

    @Test
    void garbageAndOverlongFirstFramesAreRefusedAndThePortKeepsServing() throws Exception {
        Participant participant = join("garbage");
        WebRtcTransport transport = participant.transport();
        participant.startTransport(parameters(DtlsCertificate.generateEcdsaP256()));
        byte[][] bad = {
            "GET / HTTP/1.1\r\nHost: sfu\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            ByteBuffer.allocate(2 + 100).putShort((short) 60000).array(),
            ByteBuffer.allocate(2 + 40).putShort((short) 40).putInt(0x01010101).array(),
            ByteBuffer.allocate(2 + 10).putShort((short) 10).array(),
        };
        for (byte[] bytes : bad) {
            try (TcpIceClient client = new TcpIceClient(sfu.iceTcpAddress())) {
                client.socket().setSoTimeout((int) WAIT_MILLIS);
                client.sendRaw(bytes);
                assertClosedByServer(client);
            }
        }
        assertEquals(bad.length, sfu.iceTcpRefused());
        try (TcpIceClient client = new TcpIceClient(sfu.iceTcpAddress())) {
            client.socket().setSoTimeout((int) WAIT_MILLIS);
            sendCheck(client, transport);
            assertEquals(0x0101, TcpIceClient.stunType(nextResponse(client)));
        }
    }

    @Test
    void aConnectionThatNeverSendsIsClosedAfterTheFirstFrameTimeout() throws Exception {
        try (TcpIceClient client = new TcpIceClient(sfu.iceTcpAddress())) {
            client.socket().setSoTimeout(3 * 5000);
            long start = System.nanoTime();
            assertClosedByServer(client);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 4000 && millis < 8000, "closed after " + millis + " ms");
        }
    }

    private Participant join(String name) throws IOException {
        return sfu.join("tcp-room", name, new RecordingParticipantListener());
    }

    private static WebRtcTransport.RemoteParameters parameters(DtlsCertificate certificate) {
        return new WebRtcTransport.RemoteParameters(CLIENT_UFRAG, CLIENT_PASSWORD, certificate.fingerprint(),
                DtlsRole.SERVER, List.of());
    }

    private void sendCheck(TcpIceClient client, WebRtcTransport transport) throws Exception {
        byte[] request = StunBindingRequest.build(transport.iceUfrag() + ":" + CLIENT_UFRAG, transport.icePassword(),
                random);
        client.send(request, 0, request.length);
    }

    /** The next STUN response, answering the SFU's own checks meanwhile. */
    private static byte[] nextResponse(TcpIceClient client) throws Exception {
        while (true) {
            byte[] frame = client.receive();
            if (TcpIceClient.isStun(frame) && TcpIceClient.stunType(frame) == 0x0001) {
                answer(client, frame);
            } else if (TcpIceClient.isStun(frame)) {
                return frame;
            }
        }
    }

    private static void answer(TcpIceClient client, byte[] request) throws Exception {
        // XOR-MAPPED-ADDRESS is where the request came from: the SFU's end of the connection.
        InetSocketAddress mapped = (InetSocketAddress) client.socket().getRemoteSocketAddress();
        byte[] response = TcpIceClient.successResponse(request, mapped, CLIENT_PASSWORD);
        client.send(response, 0, response.length);
    }

    private static void assertClosedByServer(TcpIceClient client) throws IOException {
        try {
            byte[] frame = client.receive();
            throw new AssertionError("the server answered " + frame.length + " bytes");
        } catch (EOFException | SocketException e) {
            // Closed (a reset is a close too).
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open", e);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT_MILLIS + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }
}
