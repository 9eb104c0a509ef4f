package org.atrium.rtp;

/** RTCP packet types (RFC 3550 12.1, RFC 4585 6.1) and feedback message types (FMT). */
public final class RtcpPacketType {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585 6.2). */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585 6.3). */
    public static final int PSFB = 206;

    /** RTPFB: generic NACK (RFC 4585 6.2.1). */
    public static final int FMT_NACK = 1;
    /** RTPFB: transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
    public static final int FMT_TRANSPORT_CC = 15;
    /** PSFB: picture loss indication (RFC 4585 6.3.1). */
    public static final int FMT_PLI = 1;
    /** PSFB: full intra request (RFC 5104 4.3.1). */
    public static final int FMT_FIR = 4;
    /** PSFB: application layer feedback (RFC 4585 6.4), which carries REMB. */
    public static final int FMT_AFB = 15;

    /** RFC 5761 4: RTCP packet types fall in 192..223 so they never collide with RTP payload types. */
    public static final int MIN = 192;
    public static final int MAX = 223;

    private RtcpPacketType() {
    }
}
