package org.atrium.sfu.relay;

import java.util.ArrayList;
import java.util.List;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;
import org.atrium.sfu.stats.RelayMetrics;
import org.atrium.sfu.transport.WebRtcTransport;

/**
 * The other node's tracks as they arrive over one relay link: each link SSRC to the remote
 * producer and encoding it feeds. The remote producers fan out to this node's receivers.
 */
final class InboundTracks {

    /** One remote producer, its room and its owner, as the link announced it. */
    record Track(String room, String ownerId, Producer producer) {
    }

    private final WebRtcTransport transport;
    private final RelayMetrics metrics;
    /** Changed under this object's lock; read without it on the receive thread. */
    private volatile Track[] tracks = new Track[0];

    InboundTracks(WebRtcTransport transport, RelayMetrics metrics) {
        this.transport = transport;
        this.metrics = metrics;
    }

    synchronized void add(String room, String ownerId, Producer producer) {
        List<Track> next = new ArrayList<>(List.of(tracks));
        next.add(new Track(room, ownerId, producer));
        tracks = next.toArray(Track[]::new);
    }

    /** Forgets every track of a room, freeing their SSRCs' SRTP state. */
    synchronized void removeRoom(String room) {
        for (Track track : tracks) {
            if (track.room().equals(room)) {
                remove(room, track.producer().id());
            }
        }
    }

    /** Forgets a track by room and producer id, freeing its SSRCs' SRTP state; returns it, or null. */
    synchronized Track remove(String room, String producerId) {
        for (Track track : tracks) {
            if (track.room().equals(room) && track.producer().id().equals(producerId)) {
                List<Track> next = new ArrayList<>(List.of(tracks));
                next.remove(track);
                tracks = next.toArray(Track[]::new);
                for (ReceiveStream stream : track.producer().streams()) {
                    transport.forgetReceivedSsrc(stream.ssrc());
                    if (stream.rtxSsrc() >= 0) {
                        transport.forgetReceivedSsrc(stream.rtxSsrc());
                    }
                }
                return track;
            }
        }
        return null;
    }

    Track find(String room, String producerId) {
        for (Track track : tracks) {
            if (track.room().equals(room) && track.producer().id().equals(producerId)) {
                return track;
            }
        }
        return null;
    }

    /** True when an announced track uses this SSRC on the link, as main or RTX stream. */
    boolean usesSsrc(long ssrc) {
        for (Track track : tracks) {
            if (track.producer().usesSsrc(ssrc)) {
                return true;
            }
        }
        return false;
    }

    synchronized void clear() {
        tracks = new Track[0];
    }

    /** An authenticated RTP packet from the link: to the remote producer of its SSRC. */
    void onRtp(byte[] buf, int off, int len, long receivedNanos) {
        long ssrc = RtpPacket.ssrc(buf, off);
        for (Track track : tracks) {
            int stream = track.producer().streamOf(ssrc);
            if (stream >= 0) {
                metrics.packetReceived(len);
                track.producer().receive(stream, buf, off, len, receivedNanos);
                return;
            }
        }
        metrics.dropped(RelayMetrics.Drop.UNKNOWN_SSRC);
    }

    /** The other node's Sender Report for a link SSRC, passed on to the producer's consumers. */
    void onSenderReport(long ssrc, long ntp, long rtpTimestamp, long nowNanos) {
        for (Track track : tracks) {
            ReceiveStream stream = track.producer().streamBySsrc(ssrc);
            if (stream != null) {
                track.producer().onSenderReport(stream, ntp, rtpTimestamp, nowNanos);
                return;
            }
        }
    }
}
