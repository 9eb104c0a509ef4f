package org.atrium.signaling.whip;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.signaling.sdp.AnswerWriter;
import org.atrium.signaling.sdp.OfferWriter;
import org.atrium.sfu.cc.CongestionFeedback;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.TrackSource;
import org.atrium.sfu.transport.WebRtcTransport;

/**
 * A WHIP publisher (RFC 9725): to everyone else in the room an ordinary participant whose
 * microphone and camera are the audio and video it offered. It receives nothing.
 */
final class IngestSession extends HttpMediaSession {

    IngestSession(ScheduledExecutorService executor, HttpMediaSessions sessions) {
        super(Protocol.WHIP, executor, sessions);
    }

    /**
     * Publishes what the offer sends, starts ICE and returns the SDP answer. Runs on the
     * session's thread, with the participant just joined.
     */
    String start(Participant joined, CheckedOffer offer, long sdpSessionId) {
        participant = joined;
        WebRtcTransport transport = joined.transport();
        transport.setPayloadMapping(offer.mapping());
        for (CheckedOffer.Accepted section : offer.accepted()) {
            String mid = section.section().mid();
            MediaKind kind = section.kind();
            joined.describeTrack(mid, kind == MediaKind.AUDIO ? TrackSource.MICROPHONE : TrackSource.CAMERA);
            List<String> rids = section.rids();
            if (kind == MediaKind.VIDEO && !rids.isEmpty()) {
                joined.publishSimulcast(mid, kind, rids);
            } else {
                joined.publish(mid, kind, section.section().ssrc(), section.section().rtxSsrc());
            }
        }
        if (offer.remb()) {
            joined.setCongestionFeedback(CongestionFeedback.REMB);
        }
        String answer = AnswerWriter.write(sdpSessionId, new OfferWriter.LocalTransport(transport.iceUfrag(),
                transport.icePassword(), transport.fingerprintSha256(), transport.localCandidates()),
                offer.answerSetup(), offer.answerSections(section -> null));
        joined.startTransport(new WebRtcTransport.RemoteParameters(offer.offer().iceUfrag(),
                offer.offer().icePassword(), offer.offer().fingerprint(), offer.localDtlsRole(),
                offer.offer().candidates(), offer.localIceControlling()));
        started(joined, offer.offer().iceUfrag(), offer.accepted().get(0).section().mid());
        return answer;
    }
}
