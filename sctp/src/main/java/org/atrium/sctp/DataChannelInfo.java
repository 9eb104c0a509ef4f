package org.atrium.sctp;

/** An open data channel: its SCTP stream, the DCEP label and protocol, and how it delivers. */
public record DataChannelInfo(int streamId, String label, String protocol, ChannelOptions options) {
}
