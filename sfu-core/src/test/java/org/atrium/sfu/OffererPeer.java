package org.atrium.sfu;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.TimeoutException;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.room.Admission;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.transport.PayloadMapping;

/**
 * A test peer that made the offer, as a WHIP or WHEP client does: the controlling ICE agent and
 * the DTLS server, with the SFU controlled and DTLS client; wired without SDP, as
 * {@link PeerInRoom} is.
 */
final class OffererPeer {

    private OffererPeer() {
    }

    /**
     * Joins the room, gives the SFU's side the mapping (null: the client uses the SFU's numbers)
     * and the client's parameters, connects, and waits until SRTP is ready on both sides.
     */
    static PeerInRoom connected(Sfu sfu, String room, String name, PayloadMapping mapping)
            throws IOException, InterruptedException, TimeoutException {
        RecordingParticipantListener listener = new RecordingParticipantListener();
        Participant participant = sfu.join(room, Admission.open(name), listener);
        WebRtcPeer peer;
        try {
            peer = WebRtcPeer.create(name, InetAddress.getLoopbackAddress(), null, WebRtcPeer.Roles.OFFERER);
        } catch (IOException | RuntimeException e) {
            participant.leave();
            throw e;
        }
        PeerInRoom joined = new PeerInRoom(participant, listener, peer);
        try {
            // As signaling would: the mapping and the role are set before the answer leaves.
            participant.transport().setPayloadMapping(mapping);
            joined.startBothSides();
            joined.awaitMediaReady();
            return joined;
        } catch (InterruptedException | TimeoutException | RuntimeException e) {
            joined.close();
            throw e;
        }
    }
}
