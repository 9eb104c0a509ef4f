package org.atrium.bench.load;

import java.util.Map;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.codec.Vp8PayloadDescriptor;

/**
 * A receiver's view of everything it gets: per-stream sequence, loss and jitter
 * ({@link ReceivedStream}), one-way delay from the send time in each payload, and the
 * feedback a browser would send (NACK for a gap in video, PLI while a video stream has
 * not shown a keyframe). Fed by one receive thread; read by the reporting threads.
 */
final class ReceiveStats {

    /** What a receiver sends back to the SFU; null for the raw relay, which takes no RTCP. */
    interface Feedback {
        void nack(long mediaSsrc, int[] sequences, int count);

        void pli(long mediaSsrc);
    }

    static final int MAX_STREAMS = 64;
    /** Gaps larger than this are not NACKed (a browser asks for a keyframe instead). */
    static final int MAX_NACK = 32;
    private static final long PLI_INTERVAL_NANOS = 300_000_000L;

    private final Feedback feedback;
    private final Map<Long, Long> rtxToMedia;
    private final ReceivedStream[] streams = new ReceivedStream[MAX_STREAMS];
    private volatile int streamCount;
    private final DelayHistogram delays = new DelayHistogram();
    private final int[] nackSequences = new int[MAX_NACK];
    private volatile long packets;
    private volatile long bytes;
    private volatile long ignored;
    private volatile long nacksSent;
    private volatile long plisSent;
    private volatile long maxDelayMicros;

    /**
     * @param rtxToMedia RTX SSRC to the SSRC of the stream it repairs, as signalled
     */
    ReceiveStats(Feedback feedback, Map<Long, Long> rtxToMedia) {
        this.feedback = feedback;
        this.rtxToMedia = rtxToMedia;
    }

    /** Takes a plain (unprotected) RTP packet. */
    void onRtp(byte[] b, int off, int len, long receivedNanos) {
        int rtpLength = len;
        if (rtpLength < RtpPacket.FIXED_HEADER_LENGTH || RtpPacket.version(b, off) != RtpPacket.VERSION) {
            ignored++;
            return;
        }
        int payloadType = RtpPacket.payloadType(b, off);
        int payload = RtpPacket.payloadOffset(b, off, rtpLength);
        int payloadLength = off + rtpLength - payload;
        if (payloadType == VideoStream.RTX_PAYLOAD_TYPE) {
            Long media = rtxToMedia.get(RtpPacket.ssrc(b, off));
            ReceivedStream stream = media == null ? null : find(media);
            if (stream != null && payloadLength > 2) {
                stream.onRetransmission();
                packets++;
                bytes += rtpLength;
            } else {
                ignored++;
            }
            return;
        }
        boolean video = payloadType == VideoStream.PAYLOAD_TYPE;
        if ((!video && payloadType != AudioStream.PAYLOAD_TYPE) || payloadLength < SyntheticStream.MIN_PAYLOAD) {
            ignored++;
            return;
        }
        long ssrc = RtpPacket.ssrc(b, off);
        ReceivedStream stream = find(ssrc);
        if (stream == null) {
            stream = add(ssrc, video);
            if (stream == null) {
                ignored++;
                return;
            }
        }
        int sequence = RtpPacket.sequenceNumber(b, off);
        long gap = stream.onPacket(sequence, RtpPacket.timestamp(b, off), receivedNanos);
        long delayMicros = (receivedNanos - SyntheticStream.sendTime(b, payload)) / 1000;
        delays.record(delayMicros);
        if (delayMicros > maxDelayMicros) {
            maxDelayMicros = delayMicros;
        }
        bytes += rtpLength;
        packets++;
        if (feedback != null && video) {
            if (gap > 0 && gap <= MAX_NACK) {
                for (int i = 0; i < gap; i++) {
                    nackSequences[i] = (sequence - (int) gap + i) & 0xFFFF;
                }
                feedback.nack(ssrc, nackSequences, (int) gap);
                nacksSent++;
            }
            if (stream.awaitingKeyframe && Vp8PayloadDescriptor.isKeyframe(b, payload, payloadLength)) {
                stream.awaitingKeyframe = false;
            }
            if (stream.awaitingKeyframe && receivedNanos - stream.lastPliNanos > PLI_INTERVAL_NANOS) {
                stream.lastPliNanos = receivedNanos;
                feedback.pli(ssrc);
                plisSent++;
            }
        }
    }

    /** Notes a Sender Report, for the LSR and DLSR fields of the next Receiver Report. */
    void onSenderReport(long ssrc, long compactNtp, long receivedNanos) {
        ReceivedStream stream = find(ssrc);
        if (stream != null) {
            stream.lastSrArrivalNanos = receivedNanos;
            stream.lastSrCompact = compactNtp;
        }
    }

    private ReceivedStream find(long ssrc) {
        int count = streamCount;
        for (int i = 0; i < count; i++) {
            if (streams[i].ssrc == ssrc) {
                return streams[i];
            }
        }
        return null;
    }

    private ReceivedStream add(long ssrc, boolean video) {
        int count = streamCount;
        if (count == MAX_STREAMS) {
            return null;
        }
        ReceivedStream stream = new ReceivedStream(ssrc, video ? VideoStream.CLOCK_RATE : AudioStream.CLOCK_RATE,
                video);
        streams[count] = stream;
        streamCount = count + 1;
        return stream;
    }

    /** The streams seen so far (at most {@link #MAX_STREAMS}). */
    int streamCount() {
        return streamCount;
    }

    ReceivedStream stream(int i) {
        return streams[i];
    }

    /** Adds this receiver's totals to a snapshot being built. */
    void addTo(LoadSnapshot.Builder snapshot) {
        snapshot.receivedPackets += packets;
        snapshot.receivedBytes += bytes;
        snapshot.ignoredPackets += ignored;
        snapshot.nacksSent += nacksSent;
        snapshot.plisSent += plisSent;
        snapshot.maxDelayMicros = Math.max(snapshot.maxDelayMicros, maxDelayMicros);
        int count = streamCount;
        for (int i = 0; i < count; i++) {
            ReceivedStream stream = streams[i];
            snapshot.expectedPackets += stream.expected();
            snapshot.lostPackets += stream.lost();
            snapshot.retransmittedPackets += stream.retransmitted;
            snapshot.jitterMillisSum += stream.jitterMillis;
            snapshot.jitterStreams++;
        }
        delays.copyInto(snapshot.delayCounts);
    }
}
