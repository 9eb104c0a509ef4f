package org.atrium.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;
import org.atrium.srtp.SrtpSession;
import org.bouncycastle.tls.SignatureScheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Handshakes in memory between Atrium and a peer holding any certificate kind WebRTC allows
 * (ECDSA P-256, P-384, RSA-2048), in both DTLS roles, with the peer's fingerprint signalled
 * in each hash SDP may name.
 */
class DtlsCertificateKindsTest {
    private static final long WAIT_SECONDS = 10;
    private static final String[] FINGERPRINT_HASHES = {"sha-1", "sha-224", "sha-256", "sha-384", "sha-512"};
    /** Generated once per class: RSA key generation is slow. Two per kind, so the sides differ. */
    private static final Map<DtlsCertificate.Kind, DtlsCertificate> ATRIUM = generateEachKind();
    private static final Map<DtlsCertificate.Kind, DtlsCertificate> PEER = generateEachKind();

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<DtlsEndpoint> endpoints = new ArrayList<>();
    private final Executor executor = task -> {
        Thread t = new Thread(task, "dtls-kinds-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    };

    private static Map<DtlsCertificate.Kind, DtlsCertificate> generateEachKind() {
        Map<DtlsCertificate.Kind, DtlsCertificate> certificates = new EnumMap<>(DtlsCertificate.Kind.class);
        for (DtlsCertificate.Kind kind : DtlsCertificate.Kind.values()) {
            certificates.put(kind, DtlsCertificate.generate(kind));
        }
        return certificates;
    }

    @AfterEach
    void closeAll() throws InterruptedException {
        endpoints.forEach(DtlsEndpoint::close);
        for (Thread t : threads) {
            t.join(5000);
        }
    }

    /** Forwards datagrams to the other endpoint and records the outcome. */
    private static final class Side implements DtlsEndpoint.Listener {
        volatile DtlsEndpoint peer;
        final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
        final CompletableFuture<String> failed = new CompletableFuture<>();

        /** The keys, or a test failure that says why the handshake failed, without waiting it out. */
        SrtpKeyingMaterial awaitConnected(String name) throws Exception {
            CompletableFuture.anyOf(connected, failed).get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (failed.isDone()) {
                fail(name + " failed: " + failed.get());
            }
            return connected.get();
        }

        @Override
        public void sendDatagram(byte[] b, int off, int len) {
            DtlsEndpoint target = peer;
            if (target != null) {
                target.receive(Arrays.copyOfRange(b, off, off + len), 0, len);
            }
        }

        @Override
        public void onConnected(SrtpProfile profile, SrtpKeyingMaterial keys) {
            connected.complete(keys);
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            failed.complete(reason);
        }
    }

    private record Pair(DtlsEndpoint atrium, Side atriumSide, DtlsEndpoint peer, Side peerSide) {
    }

    /**
     * Atrium in the given role with its certificate, expecting the peer's fingerprint as
     * signalled; the peer in the other role expects Atrium's sha-256, as Atrium's offer says.
     */
    private Pair start(DtlsRole atriumRole, DtlsCertificate atriumCert, DtlsCertificate peerCert,
            Fingerprint peerFingerprint) {
        Side atriumSide = new Side();
        Side peerSide = new Side();
        DtlsRole peerRole = atriumRole == DtlsRole.SERVER ? DtlsRole.CLIENT : DtlsRole.SERVER;
        DtlsEndpoint atrium = new DtlsEndpoint(atriumRole, atriumCert, peerFingerprint, atriumSide);
        DtlsEndpoint peer = new DtlsEndpoint(peerRole, peerCert, atriumCert.fingerprint(), peerSide);
        atriumSide.peer = peer;
        peerSide.peer = atrium;
        endpoints.add(atrium);
        endpoints.add(peer);
        atrium.start(executor);
        peer.start(executor);
        return new Pair(atrium, atriumSide, peer, peerSide);
    }

    static Stream<Arguments> everyRoleCertificateAndHash() {
        List<Arguments> cases = new ArrayList<>();
        for (DtlsRole role : DtlsRole.values()) {
            for (DtlsCertificate.Kind local : DtlsCertificate.Kind.values()) {
                for (DtlsCertificate.Kind peer : DtlsCertificate.Kind.values()) {
                    for (String hash : FINGERPRINT_HASHES) {
                        cases.add(Arguments.of(role, local, peer, hash));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "Atrium {0} with {1}, peer with {2}, peer fingerprint {3}")
    @MethodSource("everyRoleCertificateAndHash")
    void handshakeCompletesAndBothSidesExportTheSameSrtpKeys(DtlsRole role, DtlsCertificate.Kind local,
            DtlsCertificate.Kind peer, String hash) throws Exception {
        DtlsCertificate peerCert = PEER.get(peer);
        Pair p = start(role, ATRIUM.get(local), peerCert, peerCert.fingerprint(hash));

        SrtpKeyingMaterial atriumKeys = p.atriumSide.awaitConnected("Atrium");
        SrtpKeyingMaterial peerKeys = p.peerSide.awaitConnected("peer");
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, atriumKeys.profile());
        assertEquals(atriumKeys.profile(), peerKeys.profile());
        assertArrayEquals(atriumKeys.clientKey(), peerKeys.clientKey());
        assertArrayEquals(atriumKeys.serverKey(), peerKeys.serverKey());
        assertArrayEquals(atriumKeys.clientSalt(), peerKeys.clientSalt());
        assertArrayEquals(atriumKeys.serverSalt(), peerKeys.serverSalt());
        boolean atriumIsClient = role == DtlsRole.CLIENT;
        assertSrtpFlows(atriumKeys.newSendingSession(atriumIsClient), peerKeys.newReceivingSession(!atriumIsClient));
    }

    private static void assertSrtpFlows(SrtpSession sender, SrtpSession receiver) {
        byte[] packet = new byte[12 + 100 + SrtpSession.MAX_TRAILER];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[11] = 7;
        Arrays.fill(packet, 12, 112, (byte) 0x33);
        byte[] original = Arrays.copyOf(packet, 112);
        int len = sender.protectRtp(packet, 0, 112);
        assertEquals(112, receiver.unprotectRtp(packet, 0, len));
        assertArrayEquals(original, Arrays.copyOf(packet, 112));
    }

    @ParameterizedTest(name = "Atrium {0} refuses a peer whose RSA certificate does not match")
    @EnumSource(DtlsRole.class)
    void mismatchingRsaCertificateFailsWithAReason(DtlsRole role) throws Exception {
        // The peer holds one RSA certificate, the signalling named another.
        Pair p = start(role, ATRIUM.get(DtlsCertificate.Kind.ECDSA_P256), PEER.get(DtlsCertificate.Kind.RSA_2048),
                ATRIUM.get(DtlsCertificate.Kind.RSA_2048).fingerprint("sha-256"));

        String reason = p.atriumSide.failed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        String peerName = role == DtlsRole.SERVER ? "client" : "server";
        assertTrue(reason.contains(peerName + " certificate") && reason.contains("does not match"), reason);
        p.peerSide.failed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(p.atriumSide.connected.isDone());
        assertFalse(p.peerSide.connected.isDone());
        assertNull(p.atrium.srtpProfile());
    }

    static Stream<Arguments> signatureChoices() {
        return Stream.of(
                // kind, schemes the peer lists (in its order), expected choice (0: none fits)
                Arguments.of(DtlsCertificate.Kind.ECDSA_P256, new int[] {
                    SignatureScheme.ecdsa_secp384r1_sha384, SignatureScheme.ecdsa_secp256r1_sha256},
                    SignatureScheme.ecdsa_secp256r1_sha256),
                Arguments.of(DtlsCertificate.Kind.ECDSA_P384, new int[] {
                    SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384},
                    SignatureScheme.ecdsa_secp384r1_sha384),
                Arguments.of(DtlsCertificate.Kind.ECDSA_P384, new int[] {
                    SignatureScheme.rsa_pkcs1_sha384, SignatureScheme.ecdsa_secp256r1_sha256},
                    SignatureScheme.ecdsa_secp256r1_sha256),
                Arguments.of(DtlsCertificate.Kind.RSA_2048, new int[] {
                    SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pkcs1_sha256},
                    SignatureScheme.rsa_pkcs1_sha256),
                Arguments.of(DtlsCertificate.Kind.RSA_2048, new int[] {
                    SignatureScheme.rsa_pkcs1_sha256, SignatureScheme.rsa_pss_rsae_sha256},
                    SignatureScheme.rsa_pss_rsae_sha256),
                Arguments.of(DtlsCertificate.Kind.RSA_2048, new int[] {SignatureScheme.rsa_pss_rsae_sha512},
                    SignatureScheme.rsa_pss_rsae_sha512),
                Arguments.of(DtlsCertificate.Kind.RSA_2048, new int[] {
                    SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pss_pss_sha256}, 0),
                Arguments.of(DtlsCertificate.Kind.ECDSA_P256, new int[] {SignatureScheme.rsa_pkcs1_sha256}, 0));
    }

    @ParameterizedTest(name = "{0} signs for peer list {1}")
    @MethodSource("signatureChoices")
    void signatureAlgorithmMatchesOwnKeyAndPeerList(DtlsCertificate.Kind kind, int[] peerSchemes, int expected) {
        Vector<Object> peerList = new Vector<>();
        for (int scheme : peerSchemes) {
            peerList.add(SignatureScheme.getSignatureAndHashAlgorithm(scheme));
        }
        var chosen = DtlsPeerSupport.chooseSignatureAlgorithm(kind, peerList);
        if (expected == 0) {
            assertNull(chosen);
        } else {
            assertEquals(SignatureScheme.getText(expected), SignatureScheme.getText(SignatureScheme.from(chosen)));
        }
    }

    @ParameterizedTest(name = "{0}: certificate and fingerprints")
    @EnumSource(DtlsCertificate.Kind.class)
    void certificateOfEachKindHasItsFingerprintInEveryHash(DtlsCertificate.Kind kind) {
        DtlsCertificate certificate = ATRIUM.get(kind);
        assertEquals(kind, certificate.kind());
        for (String hash : FINGERPRINT_HASHES) {
            Fingerprint fingerprint = certificate.fingerprint(hash);
            assertTrue(Fingerprint.parse(fingerprint.toString()).matches(certificate.derEncoded()), hash);
            assertFalse(fingerprint.matches(PEER.get(kind).derEncoded()), hash);
        }
    }
}
