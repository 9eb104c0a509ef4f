package org.atrium.signaling.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may read the admin endpoints: anyone when no token is configured, else a request
 * carrying {@code Authorization: Bearer <token>}.
 */
public final class AdminAccess {

    private final byte[] token;
    private final boolean metricsNeedToken;

    /**
     * @param token the bearer token, or null for open access
     * @param metricsNeedToken whether {@code /metrics} needs it as well as {@code /api/*}
     */
    public AdminAccess(String token, boolean metricsNeedToken) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.metricsNeedToken = metricsNeedToken;
    }

    public static AdminAccess open() {
        return new AdminAccess(null, false);
    }

    public boolean isOpen() {
        return token == null;
    }

    /** Whether a request to the admin API with this Authorization header may proceed. */
    public boolean allowsApi(String authorization) {
        return token == null || matches(authorization);
    }

    /** Whether a scrape of /metrics with this Authorization header may proceed. */
    public boolean allowsMetrics(String authorization) {
        return !metricsNeedToken || allowsApi(authorization);
    }

    private boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        // Constant time: the comparison must not tell how much of a guess was right.
        return MessageDigest.isEqual(presented, token);
    }
}
