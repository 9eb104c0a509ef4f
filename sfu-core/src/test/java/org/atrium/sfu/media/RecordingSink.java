package org.atrium.sfu.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A {@link PacketSink} that sends nothing and keeps a copy of every RTP packet and RTCP
 * compound given to it, in order; safe to send to from a forwarding lane's thread.
 */
final class RecordingSink implements PacketSink {

    private final List<byte[]> rtp = Collections.synchronizedList(new ArrayList<>());
    private final List<byte[]> rtcp = Collections.synchronizedList(new ArrayList<>());

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        rtp.add(Arrays.copyOfRange(buf, off, off + len));
        return true;
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        rtcp.add(Arrays.copyOfRange(buf, off, off + len));
        return true;
    }

    /** The RTP packets sent so far, live: a test may clear it. */
    List<byte[]> rtp() {
        return rtp;
    }

    /** The RTCP compounds sent so far, a copy. */
    List<byte[]> rtcp() {
        return List.copyOf(rtcp);
    }
}
