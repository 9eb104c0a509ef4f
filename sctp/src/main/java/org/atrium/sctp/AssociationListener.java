package org.atrium.sctp;

/** What an {@link SctpAssociation} tells the layer above it (the DCEP endpoint). */
interface AssociationListener extends SendQueue.BufferedAmountListener {
    /** One packet to send; the bytes are valid only during the call. */
    void sendPacket(byte[] packet, int offset, int length);

    void onConnected();

    /** A whole message; the array is the receiver's. */
    void onMessage(int streamId, int ppid, byte[] message);

    /** The peer reset its outgoing stream: no more messages on it until reopened. */
    void onIncomingStreamReset(int streamId);

    /** Our outgoing reset of the stream was performed by the peer. */
    void onOutgoingStreamReset(int streamId);

    void onClosed(String reason);
}
