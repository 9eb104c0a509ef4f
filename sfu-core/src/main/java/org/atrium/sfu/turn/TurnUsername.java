package org.atrium.sfu.turn;

/**
 * A TURN REST API username, {@code "<expiry unix seconds>:<identity>"}: when the credential ends,
 * and whose it is (the quota of RFC 8656 7.2 counts per identity).
 */
record TurnUsername(long expiresEpochSecond, String identity) {

    /** Null unless 1-18 decimal digits, a ':' and a non-empty identity. */
    static TurnUsername parse(String username) {
        int colon = username.indexOf(':');
        if (colon < 1 || colon > 18 || colon == username.length() - 1) {
            return null;
        }
        long expiry = 0;
        for (int i = 0; i < colon; i++) {
            char c = username.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            expiry = expiry * 10 + (c - '0');
        }
        return new TurnUsername(expiry, username.substring(colon + 1));
    }

    boolean expiredAt(long nowMillis) {
        return expiresEpochSecond <= Math.floorDiv(nowMillis, 1000);
    }
}
