package org.atrium.sfu.room;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.dtls.DtlsRole;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sctp.SctpConfig;
import org.atrium.sfu.data.DataChannels;
import org.atrium.sfu.stats.DataMetrics;
import org.atrium.sfu.transport.WebRtcTransport;

/**
 * One participant's data channels: the SCTP association over its DTLS transport, opened
 * once DTLS is up, whose messages go to the room's relay, and what the participant is told
 * of refused or overflowing channels.
 */
final class ParticipantDataChannels implements DataChannels.Events {

    private final Participant participant;
    private final ScheduledExecutorService timers;
    private final DataMetrics metrics;
    /** Null before DTLS is up, and for a participant without data channels. */
    private volatile DataChannels channels;
    private volatile int remoteSctpPort = SctpConfig.DEFAULTS.remotePort();
    /** Data refusals told to the participant, by label and reason: each is told once. */
    private final Set<String> refusalsTold = ConcurrentHashMap.newKeySet();

    ParticipantDataChannels(Participant participant, ScheduledExecutorService timers, DataMetrics metrics) {
        this.participant = participant;
        this.timers = timers;
        this.metrics = metrics;
    }

    /** The channels, or null before the transport is up. */
    DataChannels channels() {
        return channels;
    }

    /** From the participant's answer's a=sctp-port; read when DTLS comes up. */
    void setRemoteSctpPort(int port) {
        remoteSctpPort = port;
    }

    /** DTLS is up: the association starts, its role following the DTLS role. */
    void open(WebRtcTransport transport) {
        channels = new DataChannels(DataChannels.config(remoteSctpPort), transport.dtlsRole() == DtlsRole.CLIENT,
                transport::sendDataPacket, timers, metrics, this);
    }

    /** One SCTP packet from the participant; dropped before the association exists. */
    void receive(byte[] buf, int off, int len) {
        DataChannels current = channels;
        if (current != null) {
            current.receive(buf, off, len);
        }
    }

    /** A data message of the participant's was refused: told once per channel label and reason. */
    void refused(String label, String reason) {
        if (refusalsTold.size() < 64 && refusalsTold.add(reason + "\n" + label)) {
            participant.listener().onDataRefused(label, reason);
        }
    }

    void close() {
        DataChannels current = channels;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public void onMessage(DataChannelInfo channel, boolean binary, byte[] message) {
        participant.room().relayData(participant, channel, binary, message);
    }

    @Override
    public void onOverflow(String label) {
        participant.listener().onDataOverflow(label);
    }
}
