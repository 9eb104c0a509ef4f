package org.atrium.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;
import org.atrium.srtp.SrtpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two DtlsEndpoints wired to each other in memory. */
class DtlsEndpointTest {
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generateEcdsaP256();
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generateEcdsaP256();
    private static final long WAIT_SECONDS = 20;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<DtlsEndpoint> endpoints = new ArrayList<>();
    /** One daemon thread per task, kept so tests can see them end. */
    private final Executor executor = task -> {
        Thread t = new Thread(task, "dtls-test-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    };

    @AfterEach
    void closeAll() throws InterruptedException {
        endpoints.forEach(DtlsEndpoint::close);
        for (Thread t : threads) {
            t.join(5000);
        }
    }

    /** Records what a listener is told and forwards datagrams to the peer, through a filter. */
    private static final class Side implements DtlsEndpoint.Listener {
        final AtomicReference<DtlsEndpoint> peer = new AtomicReference<>();
        final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
        final CompletableFuture<String> failed = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final CompletableFuture<byte[]> applicationData = new CompletableFuture<>();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger connectedCalls = new AtomicInteger();
        /** Given the datagram's number, says whether it is delivered. */
        volatile IntPredicate deliver = n -> true;
        /** Holds one datagram back to deliver after the next one: reordering. */
        volatile boolean reorder;
        private byte[] heldBack;

        @Override
        public synchronized void sendDatagram(byte[] b, int off, int len) {
            int n = sent.getAndIncrement();
            if (!deliver.test(n)) {
                return;
            }
            byte[] copy = Arrays.copyOfRange(b, off, off + len);
            if (reorder && heldBack == null && n < 12) {
                heldBack = copy;
                return;
            }
            DtlsEndpoint target = peer.get();
            if (target != null) {
                target.receive(copy, 0, copy.length);
                if (heldBack != null) {
                    byte[] late = heldBack;
                    heldBack = null;
                    target.receive(late, 0, late.length);
                }
            }
        }

        @Override
        public void onConnected(SrtpProfile profile, SrtpKeyingMaterial keys) {
            connectedCalls.incrementAndGet();
            assertEquals(profile, keys.profile());
            connected.complete(keys);
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            failed.complete(reason);
        }

        @Override
        public void onApplicationData(byte[] b, int off, int len) {
            applicationData.complete(Arrays.copyOfRange(b, off, off + len));
        }

        @Override
        public void onClosed(String reason) {
            closed.complete(reason);
        }
    }

    private record Pair(DtlsEndpoint client, Side clientSide, DtlsEndpoint server, Side serverSide) {
    }

    private Pair pair(Fingerprint clientExpects, Fingerprint serverExpects) {
        Side clientSide = new Side();
        Side serverSide = new Side();
        DtlsEndpoint client = new DtlsEndpoint(DtlsRole.CLIENT, CLIENT_CERT, clientExpects, clientSide);
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERT, serverExpects, serverSide);
        clientSide.peer.set(server);
        serverSide.peer.set(client);
        endpoints.add(client);
        endpoints.add(server);
        return new Pair(client, clientSide, server, serverSide);
    }

    private Pair pair() {
        return pair(SERVER_CERT.fingerprint(), CLIENT_CERT.fingerprint());
    }

    private void startBoth(Pair p) {
        p.server.start(executor);
        p.client.start(executor);
    }

    /** A pair started and connected on both sides. */
    private Pair connectedPair() throws Exception {
        Pair p = pair();
        startBoth(p);
        p.clientSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        p.serverSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return p;
    }

    @Test
    void handshakeAgreesOnGcmAndKeysAndSrtpFlowsBothWays() throws Exception {
        Pair p = pair();
        startBoth(p);
        SrtpKeyingMaterial clientKeys = p.clientSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        SrtpKeyingMaterial serverKeys = p.serverSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertEquals(SrtpProfile.AEAD_AES_128_GCM, clientKeys.profile());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, serverKeys.profile());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, p.server.srtpProfile());
        assertArrayEquals(clientKeys.localKey(true), serverKeys.remoteKey(false));
        assertArrayEquals(clientKeys.localSalt(true), serverKeys.remoteSalt(false));
        assertArrayEquals(serverKeys.localKey(false), clientKeys.remoteKey(true));
        assertArrayEquals(serverKeys.localSalt(false), clientKeys.remoteSalt(true));
        assertFalse(Arrays.equals(clientKeys.clientKey(), clientKeys.serverKey()));

        assertSrtpFlows(clientKeys.newSendingSession(true), serverKeys.newReceivingSession(false));
        assertSrtpFlows(serverKeys.newSendingSession(false), clientKeys.newReceivingSession(true));
        assertEquals(1, p.clientSide.connectedCalls.get());
        assertEquals(1, p.serverSide.connectedCalls.get());
    }

    @Test
    void aThreadInterruptedWithoutCloseEndsInsteadOfSpinning() throws Exception {
        Pair p = connectedPair();
        // As an executor's shutdownNow does, with no close(): before, every wait for a datagram
        // ended at once on the set interrupt flag, and the loop spun for the life of the process.
        Thread clientThread = threads.get(1);
        assertEquals(2, threads.size());
        clientThread.interrupt();
        clientThread.join(5000);
        assertFalse(clientThread.isAlive(), "the interrupted DTLS thread ended");
        assertEquals("the DTLS thread was interrupted", p.clientSide.closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    private static void assertSrtpFlows(SrtpSession sender, SrtpSession receiver) {
        byte[] packet = new byte[12 + 100 + SrtpSession.MAX_TRAILER];
        packet[0] = (byte) 0x80;
        packet[1] = 111;
        packet[11] = 42;
        Arrays.fill(packet, 12, 112, (byte) 0x5A);
        byte[] original = Arrays.copyOf(packet, 112);
        int len = sender.protectRtp(packet, 0, 112);
        assertEquals(112, receiver.unprotectRtp(packet, 0, len));
        assertArrayEquals(original, Arrays.copyOf(packet, 112));
    }

    @Test
    void handshakeSurvivesLossAndReordering() throws Exception {
        Pair p = pair();
        // Lose the first ClientHello, a datagram of the server's first flight and one of the
        // client's second flight; hold datagrams back so they arrive out of order.
        p.clientSide.deliver = n -> n != 0 && n != 3;
        p.serverSide.deliver = n -> n != 1;
        p.clientSide.reorder = true;
        p.serverSide.reorder = true;
        startBoth(p);
        SrtpKeyingMaterial clientKeys = p.clientSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        SrtpKeyingMaterial serverKeys = p.serverSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertArrayEquals(clientKeys.clientKey(), serverKeys.clientKey());
        assertArrayEquals(clientKeys.serverSalt(), serverKeys.serverSalt());
    }

    @Test
    void datagramsArrivingBeforeStartAreKept() throws Exception {
        Pair p = pair();
        p.client.start(executor);
        // The ClientHello reaches the server before it starts, as when ICE completes first.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (p.clientSide.sent.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        p.server.start(executor);
        p.serverSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        p.clientSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void clientOfferingOnlyCmGetsCm() throws Exception {
        Pair p = pair();
        p.client.setSrtpProfiles(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        startBoth(p);
        SrtpKeyingMaterial clientKeys = p.clientSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        SrtpKeyingMaterial serverKeys = p.serverSide.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_80, clientKeys.profile());
        assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_80, serverKeys.profile());
        assertSrtpFlows(clientKeys.newSendingSession(true), serverKeys.newReceivingSession(false));
    }

    @Test
    void clientRejectsServerWhoseCertificateDoesNotMatch() throws Exception {
        Pair p = pair(DtlsCertificate.generateEcdsaP256().fingerprint(), CLIENT_CERT.fingerprint());
        startBoth(p);
        String reason = p.clientSide.failed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(reason.contains("server certificate") && reason.contains("does not match"), reason);
        String serverReason = p.serverSide.failed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(serverReason.contains("bad_certificate"), serverReason);
        assertFalse(p.clientSide.connected.isDone());
        assertFalse(p.serverSide.connected.isDone());
        assertNull(p.client.srtpProfile());
    }

    @Test
    void serverRejectsClientWhoseCertificateDoesNotMatch() throws Exception {
        Pair p = pair(SERVER_CERT.fingerprint(), DtlsCertificate.generateEcdsaP256().fingerprint());
        startBoth(p);
        String reason = p.serverSide.failed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(reason.contains("client certificate") && reason.contains("does not match"), reason);
        p.clientSide.failed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(p.serverSide.connected.isDone());
        assertFalse(p.clientSide.connected.isDone());
    }

    @Test
    void handshakeTimesOutWhenThePeerIsSilent() throws Exception {
        Pair p = pair();
        p.server.setHandshakeTimeout(Duration.ofMillis(700));
        long started = System.nanoTime();
        p.server.start(executor);
        String reason = p.serverSide.failed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(reason.contains("timed out"), reason);
        assertTrue(elapsedMillis >= 600 && elapsedMillis < 5000, "took " + elapsedMillis + " ms");
        threads.get(0).join(5000);
        assertFalse(threads.get(0).isAlive());
    }

    @Test
    void closeDuringHandshakeReleasesTheThreadWithoutCallbacks() throws Exception {
        Pair p = pair();
        p.server.start(executor);
        Thread.sleep(200);
        p.server.close();
        threads.get(0).join(5000);
        assertFalse(threads.get(0).isAlive());
        assertFalse(p.serverSide.failed.isDone());
        assertFalse(p.serverSide.connected.isDone());
    }

    @Test
    void closeAfterConnectSendsCloseNotifyAndEndsBothThreads() throws Exception {
        Pair p = connectedPair();

        byte[] message = "hello sctp".getBytes(StandardCharsets.US_ASCII);
        assertEquals(message.length, p.client.sendApplicationData(message, 0, message.length));
        assertArrayEquals(message, p.serverSide.applicationData.get(WAIT_SECONDS, TimeUnit.SECONDS));

        p.client.close();
        assertEquals("peer sent close_notify", p.serverSide.closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
        for (Thread t : threads) {
            t.join(5000);
            assertFalse(t.isAlive(), t.getName());
        }
        assertFalse(p.clientSide.closed.isDone(), "a local close is not reported back");
        assertEquals(-1, p.client.sendApplicationData(message, 0, message.length));
    }
}
