package org.atrium.cluster;

/** Redis could not be reached (or did not answer in time): the cluster's shared state is unknown for now. */
public final class ClusterUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
