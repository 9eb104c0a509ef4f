package org.atrium.sctp;

/** Serial number arithmetic (RFC 1982) for 32-bit TSNs and 16-bit stream sequence numbers. */
final class Tsn {
    private Tsn() {
    }

    /** {@code a} comes before {@code b}. */
    static boolean lt(int a, int b) {
        return a - b < 0;
    }

    static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** 16-bit SSN {@code a} comes before {@code b}. */
    static boolean ssnLt(int a, int b) {
        return (short) (a - b) < 0;
    }
}
