package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A page whose RTCPeerConnection holds an RSA-2048 certificate ({@code ?cert=rsa}, as
 * GStreamer's webrtcbin and pages using {@code generateCertificate} with RSASSA-PKCS1-v1_5
 * do) connects to the SFU, which is then the DTLS server, and exchanges video with a page
 * holding the browser's default ECDSA certificate.
 */
@Tag("browser")
class RsaCertificateBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    /** The DER of the certificate this page's DTLS transport presents, base64, from getStats(). */
    private static final String LOCAL_CERTIFICATE = """
            const stats = await window.atrium.pc.getStats();
            let id = null;
            stats.forEach(s => { if (s.type === 'transport' && s.localCertificateId) id = s.localCertificateId; });
            const certificate = id === null ? undefined : stats.get(id);
            return certificate ? certificate.base64Certificate : null;
            """;

    @Test
    void pageWithAnRsaCertificateAndAnEcdsaPageDecodeEachOthersVideo() throws Exception {
        BrowserPage rsa = chromium.open(server.http("/room/rsa?name=Rsa&cert=rsa").toString());
        BrowserPage ecdsa = chromium.open(server.http("/room/rsa?name=Ec").toString());
        rsa.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
        ecdsa.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);

        PublicKey rsaKey = localCertificateKey(rsa);
        assertTrue(rsaKey instanceof RSAPublicKey, rsaKey.getAlgorithm());
        assertEquals(2048, ((RSAPublicKey) rsaKey).getModulus().bitLength());
        assertEquals("EC", localCertificateKey(ecdsa).getAlgorithm());

        assertDecodedVideoGrows(rsa);
        assertDecodedVideoGrows(ecdsa);
    }

    private static PublicKey localCertificateKey(BrowserPage page) throws CertificateException {
        Object base64 = page.evalAsync(LOCAL_CERTIFICATE);
        assertTrue(base64 instanceof String, "no local certificate in getStats(): " + base64);
        byte[] der = Base64.getDecoder().decode((String) base64);
        return CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
    }

    /** Frames of the other page's video are decoded, and more a moment later. */
    private static void assertDecodedVideoGrows(BrowserPage page) {
        long[] first = {0};
        page.waitUntil("video frames decoded", CONNECT, () -> (first[0] = framesDecoded(page)) > 0);
        page.waitUntil("decoded video frames growing past " + first[0], FIVE_SECONDS,
                () -> framesDecoded(page) > first[0]);
    }

    private static long framesDecoded(BrowserPage page) {
        return WebRtcStats.read(page, "window.atrium.pc").inbound().stream()
                .filter(s -> "video".equals(s.kind()))
                .mapToLong(WebRtcStats.Inbound::framesDecoded)
                .sum();
    }
}
