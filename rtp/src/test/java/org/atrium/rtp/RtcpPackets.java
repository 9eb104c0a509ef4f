package org.atrium.rtp;

/** Annotated RTCP packets shared by the RTCP tests. */
final class RtcpPackets {
    private RtcpPackets() {
    }

    static final String RR = """
        81 c9 00 07   # V=2 RC=1 | RR | length 7 words
        fa 17 fa 17   # sender SSRC
        12 34 56 78   # report block: source SSRC
        05 00 00 2a   # fraction lost 5/256 | cumulative lost 42
        00 01 23 45   # extended highest sequence
        00 00 00 1b   # jitter 27
        d2 0f 3c 11   # LSR
        00 01 80 00   # DLSR 1.5 s
        """;

    static final String SDES_CNAME = """
        81 ca 00 06   # V=2 SC=1 | SDES | length 6 words
        fa 17 fa 17   # chunk SSRC
        01 10         # CNAME, 16 bytes
        6e 46 73 69 32 77 57 78 33 42 43 6e 31 69 76 45   # "nFsi2wWx3BCn1ivE"
        00 00         # END and padding to 32 bits
        """;

    static final String SR = """
        80 c8 00 06   # V=2 RC=0 | SR | length 6 words
        12 34 56 78   # sender SSRC
        e9 4c 0f 2a   # NTP seconds
        80 00 00 00   # NTP fraction (0.5 s)
        00 01 e2 40   # RTP timestamp 123456
        00 00 00 64   # packet count 100
        00 00 3e 80   # octet count 16000
        """;

    static final String PLI = """
        81 ce 00 02   # V=2 FMT=1 | PSFB | length 2
        fa 17 fa 17   # sender SSRC
        12 34 56 78   # media SSRC
        """;

    static final String FIR = """
        84 ce 00 04   # V=2 FMT=4 | PSFB | length 4
        fa 17 fa 17   # sender SSRC
        00 00 00 00   # media SSRC unused (RFC 5104 4.3.1.2)
        12 34 56 78   # FCI: target SSRC
        07 00 00 00   # seq nr 7, reserved
        """;

    static final String NACK = """
        81 cd 00 03   # V=2 FMT=1 | RTPFB | length 3
        fa 17 fa 17   # sender SSRC
        12 34 56 78   # media SSRC
        04 d2 00 05   # PID 1234, BLP 0b101: 1235 and 1237 lost too
        """;

    static final String REMB = """
        8f ce 00 05   # V=2 FMT=15 | PSFB | length 5
        fa 17 fa 17   # sender SSRC
        00 00 00 00   # media SSRC 0
        52 45 4d 42   # "REMB"
        01 0b d0 90   # 1 SSRC | exp 2 | mantissa 250000: 1 Mbps
        12 34 56 78   # SSRC feedback
        """;

    static final String TRANSPORT_CC = """
        af cd 00 06   # V=2 P=1 FMT=15 | RTPFB | length 6
        fa 17 fa 17   # sender SSRC
        12 34 56 78   # media SSRC
        00 64 00 03   # base sequence 100 | status count 3
        ff ff fe 07   # reference time -2 (x 64 ms) | feedback count 7
        20 03         # run-length chunk: small delta, run 3
        04 08 0c      # receive deltas 1, 2, 3 ms (250 us units)
        00 00 03      # RTCP padding, 3 bytes
        """;

    static final String BYE = """
        81 cb 00 03   # V=2 SC=1 | BYE | length 3
        12 34 56 78   # SSRC
        05 63 6c 6f 73 65 00 00   # reason "close", padded
        """;
}
