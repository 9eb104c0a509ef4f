package org.atrium.sfu.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.Rtx;
import org.atrium.rtp.SenderReport;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.RtpCodec;
import org.atrium.sfu.stats.RelayMetrics;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.srtp.SrtpSession;

/**
 * This node's tracks as they cross one relay link: every packet of every encoding, unchanged
 * but for the SSRC, which is the link's own (two publishers may pick the same SSRC, and one
 * link carries them all). Answers the other node's feedback about them: NACKs from the
 * producer's cache as RTX, keyframe requests to the publisher.
 *
 * <p>Packets are sent on the thread that forwards them (the publisher's receive thread), like
 * an inline consumer: a link is one more receiver of each track, not a copy per receiver.
 */
final class OutboundTracks {

    private static final ThreadLocal<byte[]> SCRATCH =
            ThreadLocal.withInitial(() -> new byte[Consumer.MAX_PACKET + Rtx.OSN_LENGTH + SrtpSession.MAX_TRAILER]);
    private static final ThreadLocal<byte[]> CACHED = ThreadLocal.withInitial(() -> new byte[Consumer.MAX_PACKET]);

    private final WebRtcTransport transport;
    private final MediaCapabilities capabilities;
    private final RelayMetrics metrics;
    /** Changed under this object's lock; read without it on the media and RTCP paths. */
    private volatile Track[] tracks = new Track[0];

    OutboundTracks(WebRtcTransport transport, MediaCapabilities capabilities, RelayMetrics metrics) {
        this.transport = transport;
        this.capabilities = capabilities;
        this.metrics = metrics;
    }

    /** One producer on the link: its encodings' SSRCs there, and what was sent of each. */
    final class Track implements Producer.Tap {
        final Producer producer;
        final long[] ssrcs;
        /** -1 for an audio track: no retransmissions. */
        final long[] rtxSsrcs;
        private final int[] rtxSequences;
        private final long[] packets;
        private final long[] octets;
        /** The encodings the other node needs (bit i: encoding i); all until it says otherwise. */
        private volatile int wanted = -1;

        private Track(Producer producer, long[] ssrcs, long[] rtxSsrcs) {
            this.producer = producer;
            this.ssrcs = ssrcs;
            this.rtxSsrcs = rtxSsrcs;
            int n = ssrcs.length;
            this.rtxSequences = new int[n];
            for (int i = 0; i < n; i++) {
                rtxSequences[i] = ThreadLocalRandom.current().nextInt(1 << 16);
            }
            this.packets = new long[n];
            this.octets = new long[n];
        }

        @Override
        public void onPacket(int streamIndex, byte[] buf, int off, int len, long receivedNanos) {
            if (!transport.isMediaReady() || len > Consumer.MAX_PACKET || streamIndex >= ssrcs.length
                    || (wanted >>> streamIndex & 1) == 0) {
                return;
            }
            byte[] out = SCRATCH.get();
            System.arraycopy(buf, off, out, 0, len);
            RtpPacket.setSsrc(out, 0, ssrcs[streamIndex]);
            if (transport.sendRtp(out, 0, len)) {
                packets[streamIndex]++;
                octets[streamIndex] += RtpPacket.payloadLength(buf, off, len);
                metrics.packetSent(len);
            }
        }

        @Override
        public void onSenderReport(int streamIndex, long ntp, long rtpTimestamp) {
            if (!transport.isMediaReady() || streamIndex >= ssrcs.length) {
                return;
            }
            // The publisher's NTP/RTP pair carries over unchanged: the timestamps on the link are its own.
            byte[] report = new byte[SenderReport.MIN_LENGTH];
            int length = SenderReport.write(report, 0, ssrcs[streamIndex], ntp, rtpTimestamp, packets[streamIndex],
                    octets[streamIndex], 0);
            if (length > 0) {
                transport.sendRtcp(report, 0, length);
            }
        }

        /** Resends a packet the other node lost, as RTX on the link, from the producer's cache. */
        void retransmit(int streamIndex, int sequence, long nowNanos) {
            long rtxSsrc = rtxSsrcs[streamIndex];
            if (rtxSsrc < 0) {
                return;
            }
            byte[] cached = CACHED.get();
            int length = producer.cachedPacket(streamIndex, sequence, cached, 0, nowNanos);
            if (length < 0) {
                return;
            }
            RtpCodec codec = capabilities.codecForPayloadType(RtpPacket.payloadType(cached, 0));
            if (codec == null || !codec.hasRtx()) {
                return;
            }
            RtpPacket.setSsrc(cached, 0, ssrcs[streamIndex]);
            byte[] out = SCRATCH.get();
            int rtxLength;
            synchronized (this) {
                rtxLength = Rtx.wrap(cached, 0, length, out, 0, rtxSsrc, codec.rtxPayloadType(),
                        rtxSequences[streamIndex]);
                if (rtxLength > 0) {
                    rtxSequences[streamIndex] = (rtxSequences[streamIndex] + 1) & 0xFFFF;
                }
            }
            if (rtxLength > 0 && transport.sendRtp(out, 0, rtxLength)) {
                metrics.retransmitted();
            }
        }

        /** The encoding whose link SSRC this is, or -1. */
        int streamOf(long ssrc) {
            for (int i = 0; i < ssrcs.length; i++) {
                if (ssrcs[i] == ssrc) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Starts sending a producer over the link; returns its track, whose SSRCs the other node is told. */
    synchronized Track add(Producer producer) {
        Track existing = find(producer);
        if (existing != null) {
            return existing;
        }
        int n = producer.streamCount();
        long[] ssrcs = new long[n];
        long[] rtxSsrcs = new long[n];
        List<Long> taken = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ssrcs[i] = newSsrc(taken);
            rtxSsrcs[i] = producer.kind() == org.atrium.sfu.media.MediaKind.VIDEO ? newSsrc(taken) : -1;
        }
        Track track = new Track(producer, ssrcs, rtxSsrcs);
        Track[] next = java.util.Arrays.copyOf(tracks, tracks.length + 1);
        next[tracks.length] = track;
        tracks = next;
        producer.addTap(track);
        return track;
    }

    /** Stops sending a producer; returns its track, or null when it was not sent. */
    synchronized Track remove(Producer producer) {
        Track track = find(producer);
        if (track == null) {
            return null;
        }
        producer.removeTap(track);
        List<Track> rest = new ArrayList<>(List.of(tracks));
        rest.remove(track);
        tracks = rest.toArray(Track[]::new);
        for (int i = 0; i < track.ssrcs.length; i++) {
            transport.forgetSentSsrc(track.ssrcs[i]);
            if (track.rtxSsrcs[i] >= 0) {
                transport.forgetSentSsrc(track.rtxSsrcs[i]);
            }
        }
        return track;
    }

    /** Sends only the encodings of {@code mask} of a producer (bit i: encoding i). */
    void setWanted(Producer producer, int mask) {
        Track track = find(producer);
        if (track != null) {
            int before = track.wanted;
            track.wanted = mask;
            if ((mask & ~before) != 0) {
                // An encoding starts crossing again: the other node's receivers need it from a keyframe.
                for (int i = 0; i < track.ssrcs.length; i++) {
                    if ((mask >>> i & 1) != 0 && (before >>> i & 1) == 0) {
                        producer.requestKeyframe(i);
                    }
                }
            }
        }
    }

    /** Stops sending everything: the link is closing. */
    synchronized void clear() {
        for (Track track : tracks) {
            track.producer.removeTap(track);
        }
        tracks = new Track[0];
    }

    Track find(Producer producer) {
        for (Track track : tracks) {
            if (track.producer == producer) {
                return track;
            }
        }
        return null;
    }

    /** The track one of whose link SSRCs this is, or null. */
    Track bySsrc(long ssrc) {
        for (Track track : tracks) {
            if (track.streamOf(ssrc) >= 0) {
                return track;
            }
        }
        return null;
    }

    /** The other node's NACK of a link SSRC. */
    void onNack(long ssrc, int[] sequences, int count, long nowNanos) {
        Track track = bySsrc(ssrc);
        if (track == null) {
            return;
        }
        int stream = track.streamOf(ssrc);
        for (int i = 0; i < count; i++) {
            track.retransmit(stream, sequences[i], nowNanos);
        }
    }

    /** The other node's PLI or FIR of a link SSRC: a keyframe request to the publisher, rate limited there. */
    void onKeyframeRequest(long ssrc) {
        Track track = bySsrc(ssrc);
        if (track != null) {
            track.producer.requestKeyframe(track.streamOf(ssrc));
        }
    }

    int size() {
        return tracks.length;
    }

    private long newSsrc(List<Long> taken) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            long ssrc = random.nextLong(1, 1L << 32);
            if (!taken.contains(ssrc) && bySsrc(ssrc) == null) {
                taken.add(ssrc);
                return ssrc;
            }
        }
    }
}
