package org.atrium.srtp;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Which AES-GCM implementation SRTP uses in this process, chosen once on first use.
 *
 * <p>With {@code -Datrium.srtp.gcm=auto} (the default) it is Amazon Corretto Crypto Provider
 * (AWS-LC through JNI) when its native library loads, reports itself healthy and agrees with the
 * JDK on a known-answer check; otherwise the JDK's own AES/GCM. {@code -Datrium.srtp.gcm=jdk}
 * forces the JDK. ACCP is asked for this cipher by provider instance: it is never installed as a
 * JCA provider, so nothing else in the process changes. The choice is logged once.
 */
public final class SrtpCrypto {
    /** System property: {@code auto} (default) or {@code jdk}. */
    public static final String GCM_PROPERTY = "atrium.srtp.gcm";

    private static final System.Logger LOG = System.getLogger(SrtpCrypto.class.getName());

    private SrtpCrypto() {
    }

    /** The AES-GCM implementation in use: {@code "accp"} or {@code "jdk"}. */
    public static String gcmImplementation() {
        return Choice.GCM.shortName;
    }

    static GcmImplementation gcm() {
        return Choice.GCM;
    }

    /** ACCP's provider, or null when it cannot be used here (its native library did not load). */
    static Provider accp() {
        return Accp.PROVIDER;
    }

    /**
     * The implementation for a value of {@link #GCM_PROPERTY} ({@code auto} when null), given
     * whether ACCP is usable here; logs the choice.
     */
    static GcmImplementation choose(String property, boolean accpUsable) {
        String wanted = property == null ? "auto" : property.trim();
        if (wanted.equalsIgnoreCase("jdk")) {
            LOG.log(System.Logger.Level.INFO, "SRTP AES-GCM: jdk ({0}=jdk)", GCM_PROPERTY);
            return GcmImplementation.JDK;
        }
        if (!wanted.equalsIgnoreCase("auto")) {
            LOG.log(System.Logger.Level.WARNING, "SRTP AES-GCM: unknown {0}={1}, using auto", GCM_PROPERTY, wanted);
        }
        if (accpUsable) {
            LOG.log(System.Logger.Level.INFO, "SRTP AES-GCM: accp (Amazon Corretto Crypto Provider)");
            return GcmImplementation.ACCP;
        }
        LOG.log(System.Logger.Level.INFO, "SRTP AES-GCM: jdk (Amazon Corretto Crypto Provider unavailable: {0})",
                Accp.FAILURE);
        return GcmImplementation.JDK;
    }

    /** Lazily, so that merely loading this class neither loads ACCP nor logs. */
    private static final class Choice {
        static final GcmImplementation GCM = choose(System.getProperty(GCM_PROPERTY), Accp.PROVIDER != null);
    }

    private static final class Accp {
        static final Provider PROVIDER;
        static final String FAILURE;

        static {
            Provider provider = null;
            String failure;
            try {
                Provider accp = AccpClasses.healthyInstance();
                failure = knownAnswerMismatch(accp);
                if (failure == null) {
                    provider = accp;
                }
            } catch (Throwable t) {
                // NoClassDefFoundError, UnsatisfiedLinkError, a failed self-test: the JDK path serves.
                failure = String.valueOf(t);
            }
            PROVIDER = provider;
            FAILURE = failure;
        }

        /** Encrypts one small message with ACCP and with the JDK; null when the two agree. */
        private static String knownAnswerMismatch(Provider accp) throws Exception {
            byte[] key = new byte[16];
            byte[] iv = new byte[12];
            byte[] message = new byte[37];
            for (int i = 0; i < message.length; i++) {
                message[i] = (byte) (i * 29 + 3);
            }
            key[3] = 7;
            iv[11] = 1;
            byte[][] out = new byte[2][];
            Provider[] providers = {accp, null};
            for (int i = 0; i < 2; i++) {
                Cipher c = providers[i] == null ? Cipher.getInstance("AES/GCM/NoPadding")
                        : Cipher.getInstance("AES/GCM/NoPadding", providers[i]);
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
                c.updateAAD(message, 0, 12);
                out[i] = c.doFinal(message, 12, message.length - 12);
            }
            return Arrays.equals(out[0], out[1]) ? null : "known-answer check differs from the JDK's AES/GCM";
        }
    }

    /**
     * The only class naming ACCP's types: without ACCP's jar it fails to load, inside the
     * try above, instead of failing the verification of the class that asks for it.
     */
    private static final class AccpClasses {
        static Provider healthyInstance() {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable loadingError = accp.getLoadingError();
            if (loadingError != null) {
                throw new IllegalStateException("native library not loaded: " + loadingError, loadingError);
            }
            accp.assertHealthy();
            return accp;
        }
    }
}
