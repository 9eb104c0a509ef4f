package org.atrium.sfu;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.room.Admission;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.transport.PayloadMapping;

/**
 * A test peer joined to a room of a real {@link Sfu}: its participant, its listener, and
 * the peer itself. Wires the transport parameters the way signaling does after an
 * offer/answer, without SDP.
 */
record PeerInRoom(Participant participant, RecordingParticipantListener listener, WebRtcPeer peer)
        implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Joins the room and creates the peer; nothing is started yet. */
    static PeerInRoom join(Sfu sfu, String room, String name) throws IOException {
        return join(sfu, room, Admission.open(name));
    }

    /** Joins the room with the grants of the admission and creates the peer; nothing is started yet. */
    static PeerInRoom join(Sfu sfu, String room, Admission admission) throws IOException {
        return join(sfu, room, admission, WebRtcPeer.Roles.ANSWERER);
    }

    private static PeerInRoom join(Sfu sfu, String room, Admission admission, WebRtcPeer.Roles roles)
            throws IOException {
        String name = admission.displayName();
        RecordingParticipantListener listener = new RecordingParticipantListener();
        Participant participant = sfu.join(room, admission, listener);
        WebRtcPeer peer;
        try {
            peer = WebRtcPeer.create(name, InetAddress.getLoopbackAddress(), null, roles);
        } catch (IOException | RuntimeException e) {
            participant.leave();
            throw e;
        }
        return new PeerInRoom(participant, listener, peer);
    }

    /** Joins, exchanges parameters both ways, and waits until SRTP is ready on the peer. */
    static PeerInRoom joinConnected(Sfu sfu, String room, String name)
            throws IOException, InterruptedException, TimeoutException {
        return joinConnected(sfu, room, Admission.open(name));
    }

    /** As {@link #joinConnected(Sfu, String, String)} with the admission's grants. */
    static PeerInRoom joinConnected(Sfu sfu, String room, Admission admission)
            throws IOException, InterruptedException, TimeoutException {
        return join(sfu, room, admission).connectedOrClosed();
    }

    /**
     * A peer that made the offer, as a WHIP or WHEP client does: the controlling ICE agent and
     * the DTLS server, with the SFU controlled and DTLS client. Joins, gives the SFU's side the
     * mapping (null: the client uses the SFU's numbers) and the client's parameters, connects,
     * and waits until SRTP is ready on both sides.
     */
    static PeerInRoom joinConnectedAsOfferer(Sfu sfu, String room, String name, PayloadMapping mapping)
            throws IOException, InterruptedException, TimeoutException {
        PeerInRoom joined = join(sfu, room, Admission.open(name), WebRtcPeer.Roles.OFFERER);
        // As signaling would: the mapping and the role are set before the answer leaves.
        joined.participant.transport().setPayloadMapping(mapping);
        return joined.connectedOrClosed();
    }

    /** Starts both sides and waits until media is ready; closes this peer when that fails. */
    private PeerInRoom connectedOrClosed() throws InterruptedException, TimeoutException {
        try {
            startBothSides();
            awaitMediaReady();
            return this;
        } catch (InterruptedException | TimeoutException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Gives the SFU the peer's answer parameters and the peer the SFU's offer parameters. */
    void startBothSides() {
        participant.startTransport(peer.remoteParametersForSfu());
        peer.connect(participant.transport());
    }

    /** Waits until both the peer and the SFU side have their SRTP keys. */
    void awaitMediaReady() throws InterruptedException, TimeoutException {
        peer.awaitConnected(CONNECT_TIMEOUT);
        // The server learns of the handshake's end a moment after the client does.
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (!participant.transport().isMediaReady()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("SFU side of " + participant + " not ready");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        try {
            peer.close();
        } finally {
            participant.leave();
        }
    }
}
