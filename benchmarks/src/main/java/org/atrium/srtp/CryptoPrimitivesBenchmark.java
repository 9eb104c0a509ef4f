package org.atrium.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The building blocks of AES128_CM_HMAC_SHA1_80 against the alternatives they were chosen over,
 * on one packet's bytes ({@code size} payload plus a 20-byte header). In package org.atrium.srtp
 * because Atrium's HmacSha1 and AesCounterMode are package-private.
 *
 * <ul>
 *   <li>HMAC-SHA1 over packet and ROC: javax.crypto.Mac (what jitsi-srtp uses without OpenSSL),
 *       Atrium's HmacSha1 (the JDK's SHA-1, which HotSpot compiles to SHA instructions), and
 *       SHA-1 in plain Java with precomputed pad states.
 *   <li>AES-CM keystream applied to the payload: Atrium's AesCounterMode (AES/CTR re-keyed
 *       without allocation), AES/CTR with a new IvParameterSpec and in-place doFinal per packet
 *       (jitsi-srtp's way), and AES/ECB over counter blocks (Atrium's previous way).
 *   <li>AES-GCM of one packet (header as AAD, payload encrypted in place, tag after it) through
 *       JCE: the JDK's AES/GCM and ACCP's, each with a new GCMParameterSpec per packet, and
 *       ACCP's with two reused specs as GcmPacketCipher passes them; and GHASH alone in plain
 *       Java (the half of a GCM of our own that has no JDK intrinsic). The ACCP methods fail
 *       where ACCP does not load.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class CryptoPrimitivesBenchmark {
    private static final int HEADER = 20;

    @Param({"160", "1200"})
    public int size;

    private byte[] packet;
    private final byte[] tag = new byte[20];
    private final byte[] iv = new byte[16];
    private final byte[] counterBlocks = new byte[2048];
    private final byte[] keystream = new byte[2048];
    private int roc;

    private Mac jdkMac;
    private HmacSha1 atriumHmac;
    private PlainJavaHmacSha1 plainJavaHmac;
    private AesCounterMode atriumCtr;
    private Cipher jdkCtr;
    private Cipher jdkEcb;
    private SecretKeySpec aesKey;

    private byte[] gcmPacket;
    private final byte[] gcmIv = new byte[12];
    private final byte[] ghash = new byte[16];
    private Cipher jdkGcm;
    private Cipher accpGcm;
    private final ReusedGcmSpec[] reusedSpecs = {new ReusedGcmSpec(), new ReusedGcmSpec()};
    private int nextSpec;
    private PlainJavaGhash plainJavaGhash;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(42);
        packet = new byte[HEADER + size];
        random.nextBytes(packet);
        byte[] authKey = new byte[20];
        random.nextBytes(authKey);
        byte[] key = new byte[16];
        random.nextBytes(key);
        random.nextBytes(iv);
        iv[14] = 0;
        iv[15] = 0;

        jdkMac = Mac.getInstance("HmacSHA1");
        jdkMac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        atriumHmac = new HmacSha1(authKey);
        plainJavaHmac = new PlainJavaHmacSha1(authKey);
        // The plain-Java HMAC has no tests of its own: check it before timing it.
        plainJavaHmac.start();
        plainJavaHmac.update(packet, 0, packet.length);
        plainJavaHmac.finish(tag);
        if (!Arrays.equals(tag, jdkMac.doFinal(packet))) {
            throw new IllegalStateException("plain-Java HMAC-SHA1 disagrees with javax.crypto.Mac");
        }

        aesKey = new SecretKeySpec(key, "AES");
        atriumCtr = new AesCounterMode(key);
        jdkCtr = Cipher.getInstance("AES/CTR/NoPadding");
        jdkEcb = Cipher.getInstance("AES/ECB/NoPadding");
        jdkEcb.init(Cipher.ENCRYPT_MODE, aesKey);

        gcmPacket = Arrays.copyOf(packet, packet.length + 16);
        random.nextBytes(gcmIv);
        jdkGcm = Cipher.getInstance("AES/GCM/NoPadding");
        if (SrtpCrypto.accp() != null) {
            accpGcm = Cipher.getInstance("AES/GCM/NoPadding", SrtpCrypto.accp());
        }
        plainJavaGhash = new PlainJavaGhash(jdkEcb.doFinal(new byte[16]));
        // The plain-Java GHASH has no tests of its own: check it against the JDK's GCM tag
        // (tag = GHASH(AAD, ciphertext) XOR E_K(IV || 0^31 || 1)).
        jdkGcm.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, gcmIv));
        jdkGcm.updateAAD(packet, 0, HEADER);
        byte[] sealed = jdkGcm.doFinal(packet, HEADER, size);
        plainJavaGhash.reset();
        plainJavaGhash.update(packet, 0, HEADER);
        plainJavaGhash.update(sealed, 0, size);
        plainJavaGhash.finish(HEADER, size, ghash, 0);
        byte[] j0 = Arrays.copyOf(gcmIv, 16);
        j0[15] = 1;
        byte[] mask = jdkEcb.doFinal(j0);
        for (int i = 0; i < 16; i++) {
            ghash[i] ^= mask[i];
        }
        if (!Arrays.equals(ghash, Arrays.copyOfRange(sealed, size, size + 16))) {
            throw new IllegalStateException("plain-Java GHASH disagrees with the JDK's AES/GCM");
        }
    }

    /** A GCM spec handing out its IV array (see GcmPacketCipher.ReusedSpec). */
    private static final class ReusedGcmSpec extends GCMParameterSpec {
        final byte[] iv = new byte[12];

        ReusedGcmSpec() {
            super(128, new byte[12]);
        }

        @Override
        public byte[] getIV() {
            return iv;
        }
    }

    @Benchmark
    public byte[] hmacJdkMac() throws GeneralSecurityException {
        jdkMac.update(packet, 0, packet.length);
        jdkMac.update((byte) (roc >>> 24));
        jdkMac.update((byte) (roc >>> 16));
        jdkMac.update((byte) (roc >>> 8));
        jdkMac.update((byte) roc++);
        jdkMac.doFinal(tag, 0);
        return tag;
    }

    @Benchmark
    public byte[] hmacAtrium() {
        atriumHmac.start();
        atriumHmac.update(packet, 0, packet.length);
        atriumHmac.updateInt(roc++);
        atriumHmac.finish(tag);
        return tag;
    }

    @Benchmark
    public byte[] hmacPlainJava() {
        plainJavaHmac.start();
        plainJavaHmac.update(packet, 0, packet.length);
        plainJavaHmac.updateInt(roc++);
        plainJavaHmac.finish(tag);
        return tag;
    }

    @Benchmark
    public byte[] ctrAtrium() {
        iv[13]++;
        atriumCtr.apply(iv, packet, HEADER, size);
        return packet;
    }

    @Benchmark
    public int ctrJdkInitPerPacket() throws GeneralSecurityException {
        iv[13]++;
        jdkCtr.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
        return jdkCtr.doFinal(packet, HEADER, size, packet, HEADER);
    }

    @Benchmark
    public byte[] ctrJdkEcbCounterBlocks() throws GeneralSecurityException {
        iv[13]++;
        int blocks = (size + 15) >>> 4;
        for (int i = 0; i < blocks; i++) {
            System.arraycopy(iv, 0, counterBlocks, i << 4, 14);
            counterBlocks[(i << 4) + 14] = (byte) (i >>> 8);
            counterBlocks[(i << 4) + 15] = (byte) i;
        }
        jdkEcb.update(counterBlocks, 0, blocks << 4, keystream, 0);
        for (int i = 0; i < size; i++) {
            packet[HEADER + i] ^= keystream[i];
        }
        return packet;
    }

    /** The next IV: the packet index moves on, as in SRTP (GCM refuses a repeated key and IV). */
    private void nextGcmIv() {
        if (++gcmIv[11] == 0) {
            ++gcmIv[10];
        }
    }

    private int gcmSeal(Cipher gcm, GCMParameterSpec spec) throws GeneralSecurityException {
        gcm.init(Cipher.ENCRYPT_MODE, aesKey, spec);
        gcm.updateAAD(gcmPacket, 0, HEADER);
        return gcm.doFinal(gcmPacket, HEADER, size, gcmPacket, HEADER);
    }

    private Cipher accp() {
        if (accpGcm == null) {
            throw new IllegalStateException("Amazon Corretto Crypto Provider does not load here");
        }
        return accpGcm;
    }

    @Benchmark
    public int gcmJdkFreshSpec() throws GeneralSecurityException {
        nextGcmIv();
        return gcmSeal(jdkGcm, new GCMParameterSpec(128, gcmIv));
    }

    @Benchmark
    public int gcmAccpFreshSpec() throws GeneralSecurityException {
        nextGcmIv();
        return gcmSeal(accp(), new GCMParameterSpec(128, gcmIv));
    }

    @Benchmark
    public int gcmAccpReusedSpecs() throws GeneralSecurityException {
        nextGcmIv();
        ReusedGcmSpec spec = reusedSpecs[nextSpec];
        nextSpec ^= 1;
        System.arraycopy(gcmIv, 0, spec.iv, 0, 12);
        return gcmSeal(accp(), spec);
    }

    @Benchmark
    public byte[] ghashPlainJava() {
        plainJavaGhash.reset();
        plainJavaGhash.update(packet, 0, HEADER);
        plainJavaGhash.update(packet, HEADER, size);
        plainJavaGhash.finish(HEADER, size, ghash, 0);
        return ghash;
    }
}
