package org.atrium.sfu.room;

import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.transport.TransportFailure;
import org.atrium.sfu.transport.WebRtcTransport;

/**
 * What a participant's transport delivers, each to the part of the participant that
 * handles it: RTP to its uplink feedback and its published tracks, RTCP to its RTCP
 * receiver, SCTP to its data channels; its coming up and its failure to the participant.
 * The per-packet callbacks run on the transport's receive thread.
 */
final class TransportEvents implements WebRtcTransport.Listener {

    private final Participant participant;
    private final UplinkFeedback uplink;
    private final PublishedTracks tracks;
    private final RtcpReceiver rtcp;
    private final ParticipantDataChannels data;

    TransportEvents(Participant participant, UplinkFeedback uplink, PublishedTracks tracks, RtcpReceiver rtcp,
            ParticipantDataChannels data) {
        this.participant = participant;
        this.uplink = uplink;
        this.tracks = tracks;
        this.rtcp = rtcp;
        this.data = data;
    }

    @Override
    public void onRtp(byte[] buf, int off, int len, long receivedNanos) {
        // Every authenticated packet counts for congestion feedback, routed or not.
        uplink.onPacket(buf, off, len, receivedNanos);
        tracks.onRtp(buf, off, len, receivedNanos);
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        rtcp.onRtcp(buf, off, len);
    }

    @Override
    public void onDataPacket(byte[] buf, int off, int len) {
        data.receive(buf, off, len);
    }

    @Override
    public void onMediaReady() {
        if (!participant.isClosed()) {
            data.open(participant.transport());
        }
        // Streams resumed before this transport could send missed their keyframe.
        for (Consumer consumer : participant.consumerArray()) {
            if (consumer.isResumed() && consumer.kind() == MediaKind.VIDEO) {
                consumer.producer().requestKeyframe();
            }
        }
        // The publisher starts with a keyframe, but its first packets can arrive
        // before the SRTP keys are in place and be dropped: ask for another.
        for (Producer producer : tracks.array()) {
            if (producer.kind() == MediaKind.VIDEO) {
                producer.requestKeyframe();
            }
        }
    }

    @Override
    public void onFailed(TransportFailure failure, String detail) {
        participant.room().leave(participant, LeaveReason.of(failure));
    }
}
