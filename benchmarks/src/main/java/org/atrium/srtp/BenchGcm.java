package org.atrium.srtp;

/** For SrtpBenchmark (another package): sessions on a named AES-GCM implementation. */
public final class BenchGcm {
    private BenchGcm() {
    }

    /**
     * {@code session} itself for {@code "auto"} (the process's choice, {@link SrtpCrypto}), else a
     * new session like it whose AES-GCM is {@code "accp"} or {@code "jdk"}.
     */
    public static SrtpSession withGcm(SrtpSession session, String implementation) {
        switch (implementation) {
            case "auto":
                return session;
            case "accp":
                if (SrtpCrypto.accp() == null) {
                    throw new IllegalStateException("Amazon Corretto Crypto Provider does not load here");
                }
                return session.withGcm(GcmImplementation.ACCP);
            case "jdk":
                return session.withGcm(GcmImplementation.JDK);
            default:
                throw new IllegalArgumentException("gcm must be auto, accp or jdk: " + implementation);
        }
    }
}
