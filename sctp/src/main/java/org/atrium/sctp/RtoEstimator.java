package org.atrium.sctp;

/** Retransmission timeout from RTT samples (RFC 9260 6.3.1), with exponential backoff (6.3.3 E2). */
final class RtoEstimator {
    private final long min;
    private final long max;
    private long srtt = -1;
    private long rttvar;
    private long rto;

    RtoEstimator(SctpConfig config) {
        this.min = config.rtoMinMillis();
        this.max = config.rtoMaxMillis();
        this.rto = config.rtoInitialMillis();
    }

    void observe(long rtt) {
        if (rtt < 0) {
            return;
        }
        if (srtt < 0) {
            srtt = rtt;
            rttvar = rtt / 2;
        } else {
            // RTO.Beta = 1/4, RTO.Alpha = 1/8.
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        rto = Math.max(min, Math.min(max, srtt + 4 * rttvar));
    }

    void backoff() {
        rto = Math.min(max, rto * 2);
    }

    long rto() {
        return rto;
    }

    long srtt() {
        return srtt;
    }
}
