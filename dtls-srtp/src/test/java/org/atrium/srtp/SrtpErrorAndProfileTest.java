package org.atrium.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SrtpErrorAndProfileTest {

    // RFC 5764 section 4.1.2 and RFC 7714 section 14.2 code points; lengths from RFC 3711 / RFC 7714.
    @ParameterizedTest
    @CsvSource({
        "AES128_CM_HMAC_SHA1_80, 1, 16, 14, 10, 14",
        "AEAD_AES_128_GCM,       7, 16, 12, 16, 20",
    })
    void profileParameters(SrtpProfile p, int id, int key, int salt, int rtpTrailer, int rtcpTrailer) {
        assertEquals(id, p.protectionProfileId());
        assertEquals(key, p.keyLength());
        assertEquals(salt, p.saltLength());
        assertEquals(rtpTrailer, p.rtpTrailerLength());
        assertEquals(rtcpTrailer, p.rtcpTrailerLength());
        assertEquals(p, SrtpProfile.fromId(id));
        assertTrue(p.rtcpTrailerLength() <= SrtpSession.MAX_TRAILER);
    }

    @Test
    void unknownProfileIdIsNull() {
        assertNull(SrtpProfile.fromId(0x0002));
        assertNull(SrtpProfile.fromId(0x0008));
    }

    @Test
    void errorCodesAreDistinctNegativeAndDescribed() throws IllegalAccessException {
        Set<Integer> seen = new HashSet<>();
        for (Field f : SrtpError.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                int code = f.getInt(null);
                assertTrue(code < 0, f.getName());
                assertTrue(seen.add(code), "duplicate code " + f.getName());
                assertTrue(!SrtpError.describe(code).startsWith("unknown"), f.getName());
            }
        }
        assertTrue(SrtpError.describe(-999).startsWith("unknown"));
    }

    @Test
    void keyingMaterialFollowsRfc5764Layout() {
        SrtpProfile p = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[] material = new byte[60];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporter(p, material);
        assertArrayEquals(range(0, 16), keys.clientKey());
        assertArrayEquals(range(16, 32), keys.serverKey());
        assertArrayEquals(range(32, 46), keys.clientSalt());
        assertArrayEquals(range(46, 60), keys.serverSalt());
        assertArrayEquals(keys.clientKey(), keys.localKey(true));
        assertArrayEquals(keys.clientKey(), keys.remoteKey(false));
        assertArrayEquals(keys.serverSalt(), keys.localSalt(false));
        assertArrayEquals(keys.serverSalt(), keys.remoteSalt(true));
        assertThrows(IllegalArgumentException.class,
                () -> SrtpKeyingMaterial.fromExporter(SrtpProfile.AEAD_AES_128_GCM, material));
    }

    private static byte[] range(int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }
}
