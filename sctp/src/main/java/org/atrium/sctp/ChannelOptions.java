package org.atrium.sctp;

/**
 * How a data channel delivers (RTCDataChannelInit): ordered or not, and at most one of the two
 * partial-reliability limits (RFC 3758, RFC 8831 6.1).
 *
 * @param ordered                 deliver in send order
 * @param maxRetransmits          retransmissions before a message is abandoned; -1 for no limit
 * @param maxPacketLifeTimeMillis time after send() before an unacknowledged message is abandoned; -1 for no limit
 * @param priority                DCEP priority (RFC 8832 5.1): 128 below normal, 256 normal, 512 high, 1024 extra high
 * @param negotiatedId            stream id agreed out of band (no DCEP); -1 to open in band
 */
public record ChannelOptions(boolean ordered, int maxRetransmits, int maxPacketLifeTimeMillis, int priority,
                             int negotiatedId) {
    public static final int NORMAL_PRIORITY = 256;

    public ChannelOptions {
        if (maxRetransmits >= 0 && maxPacketLifeTimeMillis >= 0) {
            throw new IllegalArgumentException("maxRetransmits and maxPacketLifeTime are exclusive");
        }
        if (maxRetransmits < -1 || maxPacketLifeTimeMillis < -1 || priority < 0 || priority > 0xFFFF
            || negotiatedId < -1 || negotiatedId > 65534) {
            throw new IllegalArgumentException("invalid channel options");
        }
    }

    public static ChannelOptions reliable() {
        return new ChannelOptions(true, -1, -1, NORMAL_PRIORITY, -1);
    }

    public static ChannelOptions unreliableUnordered(int maxRetransmits) {
        return new ChannelOptions(false, maxRetransmits, -1, NORMAL_PRIORITY, -1);
    }

    public static ChannelOptions maxPacketLifeTime(boolean ordered, int millis) {
        return new ChannelOptions(ordered, -1, millis, NORMAL_PRIORITY, -1);
    }

    public ChannelOptions withNegotiatedId(int id) {
        return new ChannelOptions(ordered, maxRetransmits, maxPacketLifeTimeMillis, priority, id);
    }

    public boolean fullyReliable() {
        return maxRetransmits < 0 && maxPacketLifeTimeMillis < 0;
    }
}
