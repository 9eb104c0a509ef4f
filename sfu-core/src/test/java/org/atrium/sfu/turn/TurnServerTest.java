package org.atrium.sfu.turn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.attribute.XorRelayedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.TransportAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The I/O edge of the embedded TURN server ({@link TurnServer}, {@link UdpTurnListener},
 * {@link StreamTurnListener}, {@link RelaySockets}) over real loopback sockets: stream framing,
 * bad input, connection limits and timeouts, relay ports taken and given back, a client that stops
 * reading, and TLS. Every socket is closed and every loop bounded in count and time.
 */
@Timeout(60)
class TurnServerTest {

    private static final InetAddress LOOPBACK = TurnWire.ip("127.0.0.1");
    private static final byte[] SECRET = "server-test-secret".getBytes(StandardCharsets.UTF_8);
    private static final int SUCCESS_ALLOCATE = 0x0103;
    private static final int SUCCESS_BINDING = 0x0101;
    private static final int IO_TIMEOUT_MILLIS = 3000;
    private static final int CHANNEL = 0x4000;
    private static final long FLOOD_NANOS = 15_000_000_000L;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final AtomicInteger transactions = new AtomicInteger();
    private DatagramSocket peer;
    private DatagramSocket otherPeer;
    private TurnServer server;

    @BeforeEach
    void peers() throws IOException {
        peer = closeLater(new DatagramSocket(0, LOOPBACK));
        otherPeer = closeLater(new DatagramSocket(0, LOOPBACK));
        peer.setSoTimeout(IO_TIMEOUT_MILLIS);
        otherPeer.setSoTimeout(IO_TIMEOUT_MILLIS);
    }

    @AfterEach
    void closeAll() {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    // ---- 1. stream framing --------------------------------------------------------------------

    /** Real bytes and what {@link StreamFraming} makes of them: whole length on the stream, and without padding. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                                   first 4 bytes, messageLength, unpaddedLength
            "STUN Binding request without attributes,   0001 0000,     20,  20",
            "STUN Allocate with 8 bytes of attributes,  0003 0008,     28,  28",
            "STUN length not a multiple of 4,           0001 0006,     -1,  -1",
            "STUN largest length,                       0113 fffc,     65552, 65552",
            "ChannelData length 0,                      4000 0000,     4,   4",
            "ChannelData length 1 padded to 4,          4000 0001,     8,   5",
            "ChannelData length 2 padded to 4,          4001 0002,     8,   6",
            "ChannelData length 3 padded to 4,          4fff 0003,     8,   7",
            "ChannelData length 4 unpadded,             7fff 0004,     8,   8",
            "ChannelData length 5 padded to 8,          4000 0005,     12,  9",
            "ChannelData largest length padded to 65536, 4000 ffff,    65540, 65539",
            "first bits 10,                             8001 0000,     -1,  -1",
            "first bits 11,                             c000 0004,     -1,  -1",
            "HTTP's GET looks like ChannelData 0x4745,  4745 5420,     21540, 21540",
    })
    void streamFramingOfRealBytes(String name, String header, int messageLength, int unpaddedLength) {
        byte[] bytes = TurnWire.hex(header);
        assertEquals(messageLength, StreamFraming.messageLength(bytes, 0), name);
        if (messageLength >= 0) {
            assertEquals(unpaddedLength, StreamFraming.unpaddedLength(bytes, 0), name);
        }
    }

    /** What tells STUN apart on a stream beyond the first bits: the magic cookie (RFC 8489 5). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "Binding request,                   0001 0000 2112a442, true,  true",
            "STUN bits without the cookie,      0001 0000 1234a442, true,  false",
            "TLS ClientHello record,            1603 0100 c8010000, true,  false",
            "ChannelData,                       4000 0004 01020304, false, false",
    })
    void stunOnTheStreamCarriesTheMagicCookie(String name, String bytes, boolean stun, boolean cookie) {
        byte[] header = TurnWire.hex(bytes);
        assertEquals(stun, StreamFraming.isStun(header, 0), name);
        assertEquals(cookie, stun && StreamFraming.hasMagicCookie(header, 0), name);
    }

    @Test
    void twoMessagesInOneWriteAreAnsweredInOrder() throws Exception {
        start(listeners(), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        try (StreamClient client = tcp()) {
            byte[] tid1 = tid();
            byte[] tid2 = tid();
            client.write(concat(binding(tid1), binding(tid2)));
            assertResponse(SUCCESS_BINDING, tid1, client.read());
            assertResponse(SUCCESS_BINDING, tid2, client.read());
        }
    }

    @Test
    void aMessageSplitAcrossWritesIsAnswered() throws Exception {
        start(listeners(), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        try (StreamClient client = tcp()) {
            byte[] tid = tid();
            byte[] allocate = TurnWire.message(TurnWire.ALLOCATE, tid, TurnWire.requestedTransport(17));
            // The 4-byte framing header a byte at a time, then the rest of the STUN header, then the attributes.
            for (int i = 0; i < 4; i++) {
                client.write(Arrays.copyOfRange(allocate, i, i + 1));
                Thread.sleep(20);
            }
            client.write(Arrays.copyOfRange(allocate, 4, 20));
            Thread.sleep(20);
            client.write(Arrays.copyOfRange(allocate, 20, allocate.length));
            byte[] challenge = client.read();
            assertEquals(0x0113, TurnWire.type(challenge));
            assertArrayEquals(tid, Arrays.copyOfRange(challenge, 8, 20));
            assertEquals(401, TurnWire.errorCode(challenge));
        }
    }

    @Test
    void channelDataIsPaddedToFourBytesOnTheStreamBothWays() throws Exception {
        start(listeners(), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        try (StreamClient client = tcp()) {
            Session session = new Session(client, credential("carol"));
            InetSocketAddress relay = session.allocate();
            assertEquals(0, session.request(TurnWire.CHANNEL_BIND, TurnWire.channelNumber(CHANNEL),
                    TurnWire.xorPeer(peerAddress(peer))));

            // Five bytes padded to eight, and in the same write a Binding request that must start aligned after them.
            byte[] tid = tid();
            client.write(concat(TurnWire.hex("4000 0005 6869 2121 21 000000"), binding(tid)));
            assertArrayEquals("hi!!!".getBytes(StandardCharsets.US_ASCII), receive(peer).data(), "the padding is not relayed");
            assertResponse(SUCCESS_BINDING, tid, client.read());

            // Back from the peer: 1 and 6 bytes, each ChannelData padded on the stream.
            peer.send(new DatagramPacket(new byte[] {7}, 1, relay));
            peer.send(new DatagramPacket(new byte[] {1, 2, 3, 4, 5, 6}, 6, relay));
            assertArrayEquals(TurnWire.hex("4000 0001 07 000000"), client.read());
            assertArrayEquals(TurnWire.hex("4000 0006 010203040506 0000"), client.read());
        }
    }

    // ---- 2. garbage, 3. silence, 4. the connection limit ----------------------------------------

    @Test
    void httpOnTheTcpPortClosesTheConnectionAndIsCounted() throws Exception {
        start(listeners(), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        try (StreamClient client = tcp()) {
            client.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            assertTrue(client.closedByServer(IO_TIMEOUT_MILLIS), "the server kept the connection open");
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "closed at once, not at a timeout");
        }
        waitFor(() -> dropped("malformed") >= 1, "the garbage counted as malformed");
        try (StreamClient next = tcp()) {
            byte[] tid = tid();
            next.write(binding(tid));
            assertResponse(SUCCESS_BINDING, tid, next.read());
        }
    }

    @Test
    void aStunHeaderWithoutTheMagicCookieClosesTheConnection() throws Exception {
        start(listeners(), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        try (StreamClient client = tcp()) {
            byte[] request = binding(tid());
            request[4] = 0x12;   // not 0x2112A442
            client.write(request);
            assertTrue(client.closedByServer(IO_TIMEOUT_MILLIS), "the server kept the connection open");
        }
        waitFor(() -> dropped("malformed") >= 1, "counted as malformed");
    }

    @Test
    void aSilentConnectionIsClosedAfterTheFirstMessageTimeout() throws Exception {
        start(listeners(), null, 300);
        try (StreamClient client = tcp()) {
            long t0 = System.nanoTime();
            assertTrue(client.closedByServer(IO_TIMEOUT_MILLIS), "a silent connection stayed open");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis >= 200, "closed after " + millis + " ms, before the timeout");
        }
        try (StreamClient next = tcp()) {
            byte[] tid = tid();
            next.write(binding(tid));
            assertResponse(SUCCESS_BINDING, tid, next.read());
        }
    }

    @Test
    void theConnectionOverTheLimitIsClosedAtOnceAndAFreedPlaceIsServed() throws Exception {
        start(listeners().withMaxConnections(2), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        StreamClient first = closeLater(tcp());
        StreamClient second = closeLater(tcp());
        for (StreamClient client : List.of(first, second)) {
            byte[] tid = tid();
            client.write(binding(tid));
            assertResponse(SUCCESS_BINDING, tid, client.read());
        }
        try (StreamClient third = tcp()) {
            assertTrue(third.closedByServer(1000), "the third connection was kept");
        }
        first.close();
        // The server sees the close asynchronously: a few attempts, bounded.
        boolean served = false;
        for (int attempt = 0; attempt < 20 && !served; attempt++) {
            try (StreamClient next = tcp()) {
                byte[] tid = tid();
                next.write(binding(tid));
                byte[] response = next.readOrNull();
                served = response != null && TurnWire.type(response) == SUCCESS_BINDING;
            }
            if (!served) {
                Thread.sleep(100);
            }
        }
        assertTrue(served, "no connection served after one of two closed");
        byte[] tid = tid();
        second.write(binding(tid));
        assertResponse(SUCCESS_BINDING, tid, second.read());
    }

    // ---- 5. a TCP client gone, 6. relay ports exhausted ----------------------------------------

    @Test
    void aClosedTcpConnectionEndsItsAllocationAndFreesItsRelayPort() throws Exception {
        start(listeners(), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        InetSocketAddress relay;
        try (StreamClient client = tcp()) {
            relay = new Session(client, credential("dave")).allocate();
            assertEquals(1, server.allocationCount());
            assertEquals(1, registry.get("atrium.turn.allocations").tag("transport", "tcp").gauge().value());
        }
        waitFor(() -> server.allocationCount() == 0, "the allocation ended with its connection");
        // The gauge is lowered just after the allocation leaves the table, so it may lag by a moment.
        waitFor(() -> registry.get("atrium.turn.allocations").tag("transport", "tcp").gauge().value() == 0,
                "the tcp allocation gauge back to zero");
        // The engine forgets the allocation, then closes its relay: a few tries within 100 ms. (That the port
        // is free when close returns is aFullRelayRangeIs508AndAFreedPortIsUsedAgain's to show.)
        for (int attempt = 0; ; attempt++) {
            try (DatagramSocket rebound = new DatagramSocket(relay)) {
                assertEquals(relay.getPort(), rebound.getLocalPort());
                break;
            } catch (SocketException e) {
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }

    @Test
    void aFullRelayRangeIs508AndAFreedPortIsUsedAgain() throws Exception {
        int base = freeUdpPortPair();
        start(listeners().withRelayPorts(base, base + 1), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        Session a = new Session(udp(), credential("erin"));
        Session b = new Session(udp(), credential("erin"));
        Session c = new Session(udp(), credential("frank"));
        a.allocate();
        b.allocate();
        assertEquals(508, c.request(TurnWire.ALLOCATE, TurnWire.requestedTransport(17)));
        assertEquals(1, registry.get("atrium.turn.refusals").tag("reason", "insufficient_capacity").counter().count());

        assertEquals(0, a.request(TurnWire.REFRESH, TurnWire.lifetime(0)));
        assertEquals(0, c.request(TurnWire.ALLOCATE, TurnWire.requestedTransport(17)),
                "the port freed by Refresh with LIFETIME 0 is taken again at once");
        assertEquals(2, server.allocationCount());
    }

    // ---- 7. a client that stops reading --------------------------------------------------------

    @Test
    void aTcpClientThatStopsReadingDoesNotStallOtherClients() throws Exception {
        start(listeners(), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        Socket slowSocket = new Socket();
        slowSocket.setReceiveBufferSize(4096);   // so that its connection backs up soon
        slowSocket.connect(server.tcpAddress(), IO_TIMEOUT_MILLIS);
        StreamClient slow = closeLater(new StreamClient(slowSocket));
        Session slowSession = new Session(slow, credential("slow"));
        InetSocketAddress slowRelay = slowSession.allocate();
        assertEquals(0, slowSession.request(TurnWire.CREATE_PERMISSION, TurnWire.xorPeer(peerAddress(peer))));

        UdpClient fast = udp();
        Session fastSession = new Session(fast, credential("fast"));
        InetSocketAddress fastRelay = fastSession.allocate();
        assertEquals(0, fastSession.request(TurnWire.CREATE_PERMISSION, TurnWire.xorPeer(peerAddress(otherPeer))));

        // The flood, to the relay of the client that does not read: 100,000 datagrams of 1,000 bytes at most, 15 s
        // at most. The server's send buffer to the slow client grows to 4 MB (tcp_wmem) before its queue of 512
        // fills, and a busy machine drops many datagrams at the relay socket, so this takes a while when loaded.
        AtomicInteger flooded = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread flood = new Thread(() -> {
            byte[] payload = new byte[1000];
            long end = System.nanoTime() + FLOOD_NANOS;
            try {
                for (int i = 0; i < 100_000 && !stop.get() && System.nanoTime() < end; i++) {
                    peer.send(new DatagramPacket(payload, payload.length, slowRelay));
                    flooded.incrementAndGet();
                }
            } catch (IOException e) {
                // the test ends
            }
        }, "flood");
        flood.setDaemon(true);
        flood.start();
        try {
            waitFor(() -> dropped("queue_full") > 0, FLOOD_NANOS,
                    () -> "the slow client's queue full (flooded " + flooded.get() + ")");

            int received = 0;
            long end = System.nanoTime() + 10_000_000_000L;
            for (int i = 0; i < 50 && System.nanoTime() < end; i++) {
                byte[] payload = ("ping-" + i).getBytes(StandardCharsets.US_ASCII);
                otherPeer.send(new DatagramPacket(payload, payload.length, fastRelay));
                byte[] data = fast.readOrNull(1000);
                if (data != null && TurnWire.type(data) == TurnIndications.DATA_INDICATION) {
                    received++;
                }
            }
            assertTrue(received >= 45, "the other client got " + received + " of 50 while a TCP client did not read"
                    + " (flooded " + flooded.get() + ")");
        } finally {
            stop.set(true);
            flood.join(10_000);
        }
        assertTrue(count("atrium.turn.relayed.packets", "direction", "to_client") >= 45);
    }

    // ---- 8. bad input on UDP -------------------------------------------------------------------

    @Test
    void badDatagramsAreDroppedCountedAndTheListenerKeepsServing() throws Exception {
        start(listeners(), null, StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        UdpClient client = udp();
        Session session = new Session(client, credential("gina"));
        session.allocate();
        byte[] truncated = Arrays.copyOf(TurnWire.message(TurnWire.ALLOCATE, tid(), TurnWire.requestedTransport(17)), 13);
        byte[] random = new byte[100];
        new java.util.Random(7).nextBytes(random);
        random[0] = (byte) 0x9c;   // first bits 10: neither STUN nor ChannelData
        client.write(truncated);
        client.write(random);
        client.write(TurnWire.hex("4001 0004 deadbeef"));   // no channel 0x4001 bound
        client.write(TurnWire.hex("4000 0010 deadbeef"));   // shorter than its length says
        waitFor(() -> dropped("malformed") >= 3 && dropped("no_channel") >= 1,
                "drops counted: malformed " + dropped("malformed") + ", no_channel " + dropped("no_channel"));
        byte[] tid = tid();
        client.write(binding(tid));
        assertResponse(SUCCESS_BINDING, tid, client.read());
        assertEquals(0, count("atrium.turn.relayed.packets", "direction", "to_peer"));
    }

    // ---- 9. close() and 10. TLS ----------------------------------------------------------------

    @Test
    void closeReleasesEveryPort() throws Exception {
        SelfSignedTls.Pair tls = SelfSignedTls.pairForLoopback();
        start(listeners().withPorts(0, 0, 0), tls.server(), StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        InetSocketAddress udpAddress = server.udpAddress();
        InetSocketAddress tcpAddress = server.tcpAddress();
        InetSocketAddress tlsAddress = server.tlsAddress();
        InetSocketAddress udpRelay = new Session(udp(), credential("hal")).allocate();
        StreamClient tcpClient = closeLater(tcp());
        InetSocketAddress tcpRelay = new Session(tcpClient, credential("hal")).allocate();
        StreamClient tlsClient = closeLater(tls(tls.client()));
        InetSocketAddress tlsRelay = new Session(tlsClient, credential("hal")).allocate();

        TurnServer closing = server;
        server = null;
        closing.close();
        assertEquals(0, closing.allocationCount());
        for (TurnTransport transport : TurnTransport.values()) {
            assertEquals(0, registry.get("atrium.turn.allocations").tag("transport", transport.label()).gauge().value(),
                    transport.label());
        }

        for (InetSocketAddress address : List.of(udpAddress, udpRelay, tcpRelay, tlsRelay)) {
            try (DatagramSocket rebound = new DatagramSocket(address)) {
                assertEquals(address.getPort(), rebound.getLocalPort());
            } catch (SocketException e) {
                throw new AssertionError("UDP " + address + " still bound (listener " + udpAddress + ")", e);
            }
        }
        for (InetSocketAddress address : List.of(tcpAddress, tlsAddress)) {
            try (ServerSocket rebound = rebind(address)) {
                assertEquals(address.getPort(), rebound.getLocalPort());
            } catch (SocketException e) {
                throw new AssertionError("TCP " + address + " still bound", e);
            }
        }
        assertTrue(tcpClient.closedByServer(IO_TIMEOUT_MILLIS));
        assertTrue(tlsClient.closedByServer(IO_TIMEOUT_MILLIS));
    }

    @Test
    void allocatesOverTlsWithTheJdkClient() throws Exception {
        SelfSignedTls.Pair tls = SelfSignedTls.pairForLoopback();
        start(listeners().withPorts(-1, -1, 0), tls.server(), StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        try (StreamClient client = tls(tls.client())) {
            Session session = new Session(client, credential("ivy"));
            InetSocketAddress relay = session.allocate();
            assertEquals(0, session.request(TurnWire.CHANNEL_BIND, TurnWire.channelNumber(CHANNEL),
                    TurnWire.xorPeer(peerAddress(peer))));
            client.write(TurnWire.hex("4000 0003 414243 00"));
            Received out = receive(peer);
            assertArrayEquals(new byte[] {0x41, 0x42, 0x43}, out.data());
            assertEquals(relay.getPort(), out.packet.getPort());
            peer.send(new DatagramPacket(new byte[] {9, 9}, 2, relay));
            assertArrayEquals(TurnWire.hex("4000 0002 0909 0000"), client.read());
        }
        assertEquals(1, registry.get("atrium.turn.allocations.created").tag("transport", "tls").counter().count());
        waitFor(() -> server.allocationCount() == 0, "the allocation ended with the TLS connection");
    }

    @Test
    void plainBytesOnTheTlsPortCloseTheConnectionAndTheNextIsServed() throws Exception {
        SelfSignedTls.Pair tls = SelfSignedTls.pairForLoopback();
        start(listeners().withPorts(-1, -1, 0), tls.server(), StreamTurnListener.FIRST_MESSAGE_TIMEOUT_MILLIS);
        Socket plain = new Socket();
        plain.connect(server.tlsAddress(), IO_TIMEOUT_MILLIS);
        try (StreamClient client = new StreamClient(plain)) {
            client.write(binding(tid()));
            assertTrue(client.closedByServer(IO_TIMEOUT_MILLIS), "a STUN request in the clear was kept on the TLS port");
        }
        try (StreamClient client = tls(tls.client())) {
            byte[] tid = tid();
            client.write(binding(tid));
            assertResponse(SUCCESS_BINDING, tid, client.read());
        }
    }

    // ---- the server, clients and helpers -------------------------------------------------------

    /** UDP and TCP on ephemeral ports, TLS off, relays from ten ports in a range picked per run. */
    private static TurnListeners listeners() {
        int base = 30000 + (int) (Math.random() * 30000);
        return new TurnListeners(LOOPBACK, 0, 0, -1, base, base + 9, TurnListeners.DEFAULT_MAX_CONNECTIONS);
    }

    private void start(TurnListeners listeners, SSLContext tls, int firstMessageTimeoutMillis) throws IOException {
        TurnConfig config = TurnConfig.defaults(SECRET, PeerPolicy.only(List.of(peerAddress(peer), peerAddress(otherPeer))));
        server = new TurnServer(listeners, config, tls, new TurnMetrics(registry), firstMessageTimeoutMillis);
    }

    private static InetSocketAddress peerAddress(DatagramSocket socket) {
        return new InetSocketAddress(LOOPBACK, socket.getLocalPort());
    }

    /** Two consecutive free UDP ports on loopback, found by binding (bounded tries). */
    private static int freeUdpPortPair() throws IOException {
        for (int i = 0; i < 200; i++) {
            int port = 30000 + (int) (Math.random() * 30000);
            try (DatagramSocket a = new DatagramSocket(port, LOOPBACK);
                    DatagramSocket b = new DatagramSocket(port + 1, LOOPBACK)) {
                return port;
            } catch (SocketException e) {
                // taken: try another
            }
        }
        throw new IOException("no two free consecutive UDP ports");
    }

    private static ServerSocket rebind(InetSocketAddress address) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(address);
        return socket;
    }

    private TurnCredential credential(String identity) {
        return new TurnCredentials(SECRET).mint(identity, Instant.now(), Duration.ofDays(1));
    }

    private byte[] tid() {
        return TurnWire.tid(transactions.incrementAndGet());
    }

    private static byte[] binding(byte[] tid) {
        return TurnWire.message(TurnWire.BINDING, tid);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void assertResponse(int type, byte[] tid, byte[] response) {
        assertNotNull(response, "no response");
        assertEquals(type, TurnWire.type(response), HexFormat.of().formatHex(response));
        assertArrayEquals(tid, Arrays.copyOfRange(response, 8, 20), "transaction id");
    }

    private double count(String meter, String tag, String value) {
        return registry.get(meter).tag(tag, value).counter().count();
    }

    private double dropped(String reason) {
        return count("atrium.turn.dropped.packets", "reason", reason);
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        waitFor(condition, 3_000_000_000L, () -> what);
    }

    private static void waitFor(BooleanSupplier condition, long nanos, Supplier<String> what)
            throws InterruptedException {
        long end = System.nanoTime() + nanos;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + nanos / 1_000_000_000L + " s: " + what.get());
            }
            Thread.sleep(10);
        }
    }

    private record Received(DatagramPacket packet) {
        byte[] data() {
            return Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
        }
    }

    private static Received receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        socket.receive(packet);
        return new Received(packet);
    }

    private StreamClient tcp() throws IOException {
        Socket socket = new Socket();
        socket.connect(server.tcpAddress(), IO_TIMEOUT_MILLIS);
        return new StreamClient(socket);
    }

    private StreamClient tls(SSLContext client) throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket();
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");   // the certificate names 127.0.0.1
        socket.setSSLParameters(parameters);
        socket.connect(server.tlsAddress(), IO_TIMEOUT_MILLIS);
        socket.setSoTimeout(IO_TIMEOUT_MILLIS);
        socket.startHandshake();
        return new StreamClient(socket);
    }

    private UdpClient udp() throws IOException {
        return closeLater(new UdpClient(server.udpAddress()));
    }

    /** Sends a message and reads the answer: over UDP, one datagram each; over a stream, one framed message each. */
    private interface Exchange {
        void write(byte[] bytes) throws IOException;

        byte[] read() throws IOException;
    }

    private static final class UdpClient implements Exchange, AutoCloseable {
        private final DatagramSocket socket;
        private final InetSocketAddress server;

        UdpClient(InetSocketAddress server) throws IOException {
            this.server = server;
            this.socket = new DatagramSocket(0, LOOPBACK);
            socket.setSoTimeout(IO_TIMEOUT_MILLIS);
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            socket.send(new DatagramPacket(bytes, bytes.length, server));
        }

        @Override
        public byte[] read() throws IOException {
            return receive(socket).data();
        }

        byte[] readOrNull(int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            try {
                return read();
            } catch (SocketTimeoutException e) {
                return null;
            } finally {
                socket.setSoTimeout(IO_TIMEOUT_MILLIS);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class StreamClient implements Exchange, AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        StreamClient(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(IO_TIMEOUT_MILLIS);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** One message as it came on the stream, ChannelData with its padding. */
        @Override
        public byte[] read() throws IOException {
            byte[] header = new byte[StreamFraming.HEADER];
            in.readFully(header);
            int length = StreamFraming.messageLength(header, 0);
            if (length < 0) {
                throw new IOException("the server sent no STUN or ChannelData: " + HexFormat.of().formatHex(header));
            }
            byte[] message = Arrays.copyOf(header, length);
            in.readFully(message, StreamFraming.HEADER, length - StreamFraming.HEADER);
            return message;
        }

        byte[] readOrNull() {
            try {
                return read();
            } catch (IOException e) {
                return null;
            }
        }

        /** Whether the server closes the connection within the time: end of stream, or a reset. */
        boolean closedByServer(int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            try {
                byte[] sink = new byte[4096];
                long end = System.nanoTime() + timeoutMillis * 1_000_000L;
                while (System.nanoTime() < end) {
                    if (in.read(sink) < 0) {
                        return true;
                    }
                }
                return false;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;   // a reset, or TLS's end
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A client's long-term-credential session: a NONCE from the first 401, then signed requests. */
    private final class Session {
        private final Exchange exchange;
        private final TurnCredential credential;
        private String nonce;

        Session(Exchange exchange, TurnCredential credential) {
            this.exchange = exchange;
            this.credential = credential;
        }

        /** Allocates, asserting success; the relayed address. */
        InetSocketAddress allocate() throws IOException {
            byte[] tid = tid();
            byte[] response = send(TurnWire.ALLOCATE, tid, TurnWire.requestedTransport(17));
            assertEquals(SUCCESS_ALLOCATE, TurnWire.type(response), "Allocate: error " + TurnWire.errorCode(response));
            Message success = TurnWire.decode(response);
            TransportAddress relayed = ((XorRelayedAddressAttribute) success.getAttribute(Attribute.XOR_RELAYED_ADDRESS))
                    .getAddress(tid);
            return new InetSocketAddress(relayed.getAddress(), relayed.getPort());
        }

        /** The ERROR-CODE of the answer to a signed request, 0 for success. */
        int request(int method, byte[]... attributes) throws IOException {
            return TurnWire.errorCode(send(method, tid(), attributes));
        }

        private byte[] send(int method, byte[] tid, byte[]... attributes) throws IOException {
            if (nonce == null) {
                exchange.write(TurnWire.message(TurnWire.ALLOCATE, tid(), TurnWire.requestedTransport(17)));
                byte[] challenge = exchange.read();
                assertEquals(401, TurnWire.errorCode(challenge));
                nonce = new String(((NonceAttribute) TurnWire.decode(challenge).getAttribute(Attribute.NONCE)).getNonce(),
                        StandardCharsets.US_ASCII);
            }
            exchange.write(TurnWire.signed(method, tid, credential, "atrium", nonce, attributes));
            byte[] response = exchange.read();
            assertArrayEquals(tid, Arrays.copyOfRange(response, 8, 20), "transaction id");
            return response;
        }
    }
}
