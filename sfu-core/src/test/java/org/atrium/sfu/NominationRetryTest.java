package org.atrium.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.dtls.Fingerprint;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.transport.WebRtcTransport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SFU, the controlling agent, nominates a pair with a check that carries USE-CANDIDATE. When
 * every transmission of that check is lost, ice4j fails the pair and nominates nothing else;
 * the client, which waits for the nomination, would never connect. A real UDP relay between
 * the client and the SFU drops the nomination's transmissions, all of them; the SFU checks the
 * pair again, nominated, and the client connects.
 */
@Timeout(60)
class NominationRetryTest {

    /** ice4j sends a check 7 times, over about 6.3 s, before it fails the pair. */
    private static final int CHECK_TRANSMISSIONS = 7;

    @AutoClose
    private final SfuFixture fixture = new SfuFixture();

    @Test
    void aNominationWhoseEveryTransmissionWasLostIsSentAgainAndTheClientConnects() throws Exception {
        PeerInRoom joined = fixture.joined("room", "lossy");
        WebRtcTransport sfuSide = joined.participant().transport();
        IceCandidate sfuCandidate = sfuSide.localCandidates().stream()
                .filter(c -> "udp".equals(c.protocol())).findFirst().orElseThrow();
        IceCandidate client = joined.peer().localCandidates().get(0);
        try (NominationDroppingRelay relay = new NominationDroppingRelay(
                new InetSocketAddress(client.address(), client.port()),
                new InetSocketAddress(sfuCandidate.address(), sfuCandidate.port()), CHECK_TRANSMISSIONS)) {
            joined.participant().startTransport(joined.peer().remoteParametersForSfu());
            // The client knows the SFU only as the relay's address.
            IceCandidate viaRelay = new IceCandidate(sfuCandidate.foundation(), 1, "udp", sfuCandidate.priority(),
                    "127.0.0.1", relay.port(), "host", null, -1, null);
            joined.peer().connect(sfuSide.iceUfrag(), sfuSide.icePassword(),
                    new Fingerprint("sha-256", sfuSide.fingerprintSha256()), List.of(viaRelay));

            joined.peer().awaitConnected(Duration.ofSeconds(20));
            assertEquals(CHECK_TRANSMISSIONS, relay.droppedNominations(), "every transmission of the first nomination");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!sfuSide.isMediaReady() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(sfuSide.isMediaReady(), "the SFU's side has its keys too");
            assertEquals(0, joined.listener().closedEventCount());
        }
    }

    /**
     * Relays datagrams between the client and the SFU on one loopback socket, and drops the
     * first {@code toDrop} Binding requests from the SFU that carry USE-CANDIDATE.
     */
    private static final class NominationDroppingRelay implements AutoCloseable {
        private static final int BINDING_REQUEST = 0x0001;
        private static final int MAGIC_COOKIE = 0x2112A442;
        private static final int USE_CANDIDATE = 0x0025;

        private final DatagramSocket socket;
        private final InetSocketAddress client;
        private final InetSocketAddress sfu;
        private final int toDrop;
        private final AtomicInteger dropped = new AtomicInteger();
        private final Thread thread;
        private volatile boolean closed;

        NominationDroppingRelay(InetSocketAddress client, InetSocketAddress sfu, int toDrop) throws SocketException {
            this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            this.client = client;
            this.sfu = sfu;
            this.toDrop = toDrop;
            socket.setSoTimeout(100);
            thread = new Thread(this::relay, "nomination-dropping-relay");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int droppedNominations() {
            return dropped.get();
        }

        private void relay() {
            byte[] buf = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            while (!closed) {
                try {
                    packet.setLength(buf.length);
                    socket.receive(packet);
                    boolean fromSfu = sfu.equals(packet.getSocketAddress());
                    if (fromSfu && isNomination(buf, packet.getLength()) && dropped.get() < toDrop) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    socket.send(new DatagramPacket(buf, packet.getLength(), fromSfu ? client : sfu));
                } catch (SocketTimeoutException e) {
                    // look at closed again
                } catch (IOException e) {
                    if (!closed) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }

        /** A STUN Binding request (RFC 5389 6) with a USE-CANDIDATE attribute (RFC 8445 16.1). */
        static boolean isNomination(byte[] b, int len) {
            if (len < 20 || u16(b, 0) != BINDING_REQUEST || u32(b, 4) != MAGIC_COOKIE) {
                return false;
            }
            int end = Math.min(len, 20 + u16(b, 2));
            for (int at = 20; at + 4 <= end; at += 4 + ((u16(b, at + 2) + 3) & ~3)) {
                if (u16(b, at) == USE_CANDIDATE) {
                    return true;
                }
            }
            return false;
        }

        private static int u16(byte[] b, int at) {
            return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
        }

        private static int u32(byte[] b, int at) {
            return (u16(b, at) << 16) | u16(b, at + 2);
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            thread.join(1000);
            socket.close();
        }
    }
}
