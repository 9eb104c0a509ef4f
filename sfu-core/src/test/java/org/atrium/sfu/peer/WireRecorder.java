package org.atrium.sfu.peer;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpSession;

/**
 * Keeps copies of the SRTP packets a peer receives, as they came off the wire, so that a
 * test can look at the encrypted bytes; and checks whether bytes decrypt with a peer's keys.
 */
public final class WireRecorder implements WebRtcPeer.WireTap {

    private final BlockingQueue<byte[]> rtp = new ArrayBlockingQueue<>(WebRtcPeer.QUEUE_CAPACITY);

    private WireRecorder() {
    }

    /** Records every RTP datagram the peer receives from now on. */
    public static WireRecorder attach(WebRtcPeer peer) {
        WireRecorder recorder = new WireRecorder();
        peer.setWireTap(recorder);
        return recorder;
    }

    @Override
    public void onWire(byte[] b, int off, int len, boolean rtcp) {
        if (!rtcp) {
            rtp.offer(Arrays.copyOfRange(b, off, off + len));
        }
    }

    /** The next RTP datagram as it came off the wire (still SRTP), or null after the timeout. */
    public byte[] pollRtp(Duration timeout) throws InterruptedException {
        return rtp.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * True when an SRTP packet authenticates and decrypts with the peer's receiving keys.
     * Uses a fresh session, so the peer's replay state is not involved.
     */
    public static boolean canDecryptRtp(WebRtcPeer peer, byte[] srtp) {
        SrtpKeyingMaterial material = peer.srtpKeyingMaterial();
        if (material == null) {
            return false;
        }
        SrtpSession fresh = SrtpSession.forReceiving(peer.srtpProfile(), material.remoteKey(true),
                material.remoteSalt(true));
        return fresh.unprotectRtp(srtp.clone(), 0, srtp.length) >= 0;
    }
}
