package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The signed state cookie (RFC 9260 5.1.3). */
class StateCookieTest {
    private static final StateCookie.Contents CONTENTS = new StateCookie.Contents(1_700_000_000_000L, 0x11111111,
        0xdeadbeef, 0x7ffffff0, 42, 131072, 1000, 2048, true, false);

    @Test
    void readsBackWhatItSigned() {
        StateCookie cookies = new StateCookie(new byte[32]);
        byte[] b = new byte[StateCookie.LENGTH + 3];
        cookies.write(b, 3, CONTENTS);
        assertEquals(CONTENTS, cookies.read(b, 3, StateCookie.LENGTH));
    }

    @Test
    void refusesAnyChangeAnotherKeyOrLength() {
        StateCookie cookies = new StateCookie(new byte[32]);
        byte[] b = new byte[StateCookie.LENGTH];
        cookies.write(b, 0, CONTENTS);
        for (int i = 0; i < b.length; i++) {
            byte[] changed = b.clone();
            changed[i] ^= 0x40;
            assertNull(cookies.read(changed, 0, changed.length), "byte " + i);
        }
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertNull(new StateCookie(otherKey).read(b, 0, b.length));
        assertNull(cookies.read(b, 0, b.length - 1));
    }
}
