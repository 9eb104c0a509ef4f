package org.atrium.sfu.room;

import org.atrium.rtp.HeaderExtensions;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;
import org.atrium.sfu.media.RtpHeaderExtension;

/**
 * Learns the SSRCs of simulcast encodings from the packets themselves: a packet of an SSRC
 * no stream has names its encoding in the RID header extension, or the encoding it repairs
 * in the repaired-RID extension for RTX (RFC 8852 3), and its m-section in the MID
 * extension (RFC 8843 15). Browsers sending simulcast in an answer either list no SSRCs
 * (Chromium) or list them without saying which RID each is (Firefox), so this is the one
 * reliable way to map them.
 *
 * <p>An encoding already bound keeps its SSRC while it is sending: a packet naming its RID
 * under another SSRC is refused as a conflict. One that has been silent for a second may
 * be bound again (an encoder restart picks new SSRCs). Runs on the publisher's receive
 * thread, for unknown SSRCs only; allocates nothing.
 */
final class RidBinder {

    static final long REBIND_AFTER_SILENCE_NANOS = 1_000_000_000L;

    enum Outcome {
        /** No RID or repaired RID: not a simulcast packet. */
        NO_RID,
        /** A RID (or m-section) that no published encoding has. */
        UNKNOWN_RID,
        /** The encoding is bound to another SSRC that is still sending. */
        CONFLICT,
        /** Bound as the encoding's media SSRC. */
        MEDIA,
        /** Bound as the encoding's RTX SSRC. */
        REPAIR
    }

    private final int midId;
    private final int ridId;
    private final int repairedRidId;
    /** The outcome's producer and encoding, valid after MEDIA or REPAIR. */
    private Producer boundProducer;
    private ReceiveStream boundStream;

    RidBinder(MediaCapabilities capabilities) {
        this.midId = capabilities.extensionId(RtpHeaderExtension.MID);
        this.ridId = capabilities.extensionId(RtpHeaderExtension.RID);
        this.repairedRidId = capabilities.extensionId(RtpHeaderExtension.REPAIRED_RID);
    }

    Producer boundProducer() {
        return boundProducer;
    }

    ReceiveStream boundStream() {
        return boundStream;
    }

    /** Binds {@code ssrc} from the RID of its packet, if it names one that fits. */
    Outcome bind(Producer[] producers, byte[] buf, int off, int len, long ssrc, long nowNanos) {
        boundProducer = null;
        boundStream = null;
        boolean repair = false;
        long rid = ridId > 0 ? HeaderExtensions.find(buf, off, len, ridId) : -1;
        if (rid < 0 && repairedRidId > 0) {
            rid = HeaderExtensions.find(buf, off, len, repairedRidId);
            repair = true;
        }
        if (rid < 0) {
            return Outcome.NO_RID;
        }
        long mid = midId > 0 ? HeaderExtensions.find(buf, off, len, midId) : -1;
        Producer producer = null;
        for (Producer candidate : producers) {
            if (!candidate.isSimulcast() || mid >= 0 && !equalsAscii(buf, mid, candidate.mid())) {
                continue;
            }
            if (producer != null) {
                // Without a MID, two simulcast tracks cannot be told apart.
                return Outcome.UNKNOWN_RID;
            }
            producer = candidate;
        }
        if (producer == null) {
            return Outcome.UNKNOWN_RID;
        }
        ReceiveStream stream = null;
        for (ReceiveStream candidate : producer.streams()) {
            if (equalsAscii(buf, rid, candidate.rid())) {
                stream = candidate;
                break;
            }
        }
        if (stream == null) {
            return Outcome.UNKNOWN_RID;
        }
        long current = repair ? stream.rtxSsrc() : stream.ssrc();
        if (current != ReceiveStream.UNKNOWN_SSRC && current != ssrc
                && nowNanos - stream.lastPacketNanos() < REBIND_AFTER_SILENCE_NANOS) {
            return Outcome.CONFLICT;
        }
        if (repair) {
            producer.bindRtxStream(stream, ssrc);
        } else {
            producer.bindStream(stream, ssrc);
        }
        boundProducer = producer;
        boundStream = stream;
        return repair ? Outcome.REPAIR : Outcome.MEDIA;
    }

    /** Whether an extension element's data is the ASCII text given, byte for byte. */
    private static boolean equalsAscii(byte[] buf, long found, String text) {
        int at = HeaderExtensions.dataOffset(found);
        int length = HeaderExtensions.dataLength(found);
        if (text == null || length != text.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf[at + i] != (byte) text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
