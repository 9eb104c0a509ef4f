package org.atrium.signaling.whip;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.signaling.sdp.AnswerWriter;
import org.atrium.signaling.sdp.OfferSection;
import org.atrium.signaling.sdp.OfferWriter;
import org.atrium.sfu.cc.CongestionFeedback;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Member;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.RoomException;
import org.atrium.sfu.room.TrackSource;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.sfu.util.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WHEP player: one audio and one video stream, each on an SSRC fixed in the answer, fed
 * from one participant's microphone and camera, or from whoever is the room's active
 * speaker. When the source changes, the SFU forwards the new one on the same SSRC from
 * its next keyframe, numbered on from the old one, so the player sees one continuous
 * stream and never renegotiates.
 */
final class PlaybackSession extends HttpMediaSession {

    private static final Logger LOG = LoggerFactory.getLogger(PlaybackSession.class);

    /** What one of the player's streams carries now. */
    private static final class Stream {
        final long ssrc;
        final long rtxSsrc;
        final boolean rtx;
        /** The consumer forwarding to it now, or the last one (closed): the next one continues its numbering. */
        Consumer consumer;
        Producer producer;

        Stream(long ssrc, long rtxSsrc, boolean rtx) {
            this.ssrc = ssrc;
            this.rtxSsrc = rtxSsrc;
            this.rtx = rtx;
        }
    }

    /** The participant played, or null to follow the active speaker. */
    private final String target;
    private final Map<MediaKind, Stream> streams = new EnumMap<>(MediaKind.class);
    /** The participant whose media is forwarded now, or null. */
    private String source;

    PlaybackSession(ScheduledExecutorService executor, HttpMediaSessions sessions, String target) {
        super(Protocol.WHEP, executor, sessions);
        this.target = target;
    }

    /** Reserves the streams' SSRCs, starts ICE, forwards what is there and returns the SDP answer. */
    String start(Participant joined, CheckedOffer offer, long sdpSessionId) {
        participant = joined;
        WebRtcTransport transport = joined.transport();
        transport.setPayloadMapping(offer.mapping());
        for (CheckedOffer.Accepted section : offer.accepted()) {
            boolean rtx = section.kind() == MediaKind.VIDEO && offersRtx(section);
            long ssrc = joined.reserveSsrc();
            streams.put(section.kind(), new Stream(ssrc, rtx ? joined.reserveSsrc() : -1, rtx));
        }
        if (offer.remb()) {
            joined.setCongestionFeedback(CongestionFeedback.REMB);
        }
        String streamId = "atrium-" + id().substring(0, 8);
        String answer = AnswerWriter.write(sdpSessionId, new OfferWriter.LocalTransport(transport.iceUfrag(),
                transport.icePassword(), transport.fingerprintSha256(), transport.localCandidates()),
                offer.answerSetup(), offer.answerSections(section -> {
                    Stream stream = streams.get(section.kind());
                    return new OfferSection.SentTrack(streamId, section.kind().sdpName() + "-" + id().substring(0, 8),
                            stream.ssrc, streamId, stream.rtx ? stream.rtxSsrc : -1);
                }));
        joined.startTransport(new WebRtcTransport.RemoteParameters(offer.offer().iceUfrag(),
                offer.offer().icePassword(), offer.offer().fingerprint(), offer.localDtlsRole(),
                offer.offer().candidates(), offer.localIceControlling()));
        started(joined, offer.offer().iceUfrag(), offer.accepted().get(0).section().mid());
        follow(joined.room().activeSpeaker());
        return answer;
    }

    private static boolean offersRtx(CheckedOffer.Accepted section) {
        for (var codec : section.codecs()) {
            if (codec.offeredRtx() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Points each stream at what it should carry now: the target's tracks, or the active
     * speaker's (the last one heard while no one speaks; at first, anyone who publishes).
     */
    private void follow(String speaker) {
        Member owner = target != null ? participant.room().memberOf(target) : speakerOrAnyone(speaker);
        if (owner != null && !owner.id().equals(source)) {
            try (LogContext.Scope scope = logContext().open()) {
                LOG.info("WHEP session {} plays {}", id(), owner.id());
            }
            source = owner.id();
        }
        for (Map.Entry<MediaKind, Stream> entry : streams.entrySet()) {
            Stream stream = entry.getValue();
            Producer wanted = owner == null ? null : trackOf(owner, entry.getKey());
            if (wanted == stream.producer && (wanted == null || !stream.consumer.isClosed())) {
                continue;
            }
            if (wanted == null) {
                if (stream.consumer != null && !stream.consumer.isClosed()) {
                    participant.stopForwarding(stream.consumer, true);
                }
                stream.producer = null;
                continue;
            }
            try {
                stream.consumer = participant.forward(wanted, stream.ssrc, stream.rtxSsrc, stream.consumer);
                stream.consumer.setRtxEnabled(stream.rtx);
                stream.producer = wanted;
            } catch (RoomException e) {
                // Closed meanwhile: its closing event comes next and picks again.
                LOG.debug("Cannot forward {}: {}", wanted.id(), e.getMessage());
                stream.producer = null;
            }
        }
    }

    /** A member of this node or another: a player follows the room wherever its members are. */
    private Member speakerOrAnyone(String speaker) {
        Member current = speaker == null ? null : participant.room().memberOf(speaker);
        if (current != null && hasTracks(current)) {
            return current;
        }
        if (source != null) {
            Member previous = participant.room().memberOf(source);
            if (previous != null && hasTracks(previous)) {
                return previous;
            }
        }
        for (Member member : participant.room().members()) {
            if (member != participant && hasTracks(member)) {
                return member;
            }
        }
        return null;
    }

    private static boolean hasTracks(Member member) {
        return !member.producers().isEmpty();
    }

    /** The owner's microphone for audio; its camera, else its screen, for video. */
    private static Producer trackOf(Member owner, MediaKind kind) {
        Producer fallback = null;
        for (Producer producer : owner.producers()) {
            if (producer.kind() != kind || producer.isClosed()) {
                continue;
            }
            TrackSource source = owner.sourceOf(producer.mid());
            if (source == TrackSource.MICROPHONE || source == TrackSource.CAMERA) {
                return producer;
            }
            if (fallback == null || source == TrackSource.SCREEN) {
                fallback = producer;
            }
        }
        return fallback;
    }

    @Override
    public void onProducerAdded(Producer producer) {
        onSessionThread(() -> follow(participant.room().activeSpeaker()));
    }

    @Override
    public void onProducerClosed(Producer producer) {
        onSessionThread(() -> follow(participant.room().activeSpeaker()));
    }

    @Override
    public void onConsumerClosed(Consumer consumer) {
        onSessionThread(() -> follow(participant.room().activeSpeaker()));
    }

    @Override
    public void onActiveSpeaker(String participantId) {
        if (target == null) {
            onSessionThread(() -> follow(participantId));
        }
    }

    @Override
    public void onParticipantLeft(Member other, LeaveReason reason) {
        String left = other.id();
        onSessionThread(() -> {
            if (left.equals(target)) {
                // The participant played is gone for good (a rejoin is a new participant).
                try (LogContext.Scope scope = logContext().open()) {
                    LOG.info("WHEP session {}: {} left the room; ending the session", id(), left);
                }
                participant.leave();
            } else {
                follow(participant.room().activeSpeaker());
            }
        });
    }
}
