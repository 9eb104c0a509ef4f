package org.atrium.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Consent's two rules, checked once a second as the SFU's timer does. Each row is a story: the
 * peer's last answered check, when its SRTCP count stops moving, and the second at which the
 * transport must first be found lapsed (or never, within 60 s), with a 7 s timeout.
 */
class ConsentExpiryTest {

    private static final long TIMEOUT = 7_000;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "never", value = {
        // story                                                 | answers until s | answers again from s | RTCP until s | lapsed at s
        "vanished: no answers and no RTCP after second 10        | 10 | never | 10 | 18",
        "answers stop and RTCP never came                        | 10 | never | 0  | 18",
        "congested downlink: answers lost, RTCP goes on          | 10 | never | 60 | 41",
        "answers lost for 20 s while RTCP goes on, then back     | 10 | 30    | 60 | never",
        "RTCP stops 5 s after the last answer: lapses 7 s later  | 10 | never | 15 | 23",
        "never answered: nothing lapses before the first answer  | 0  | never | 60 | never",
    })
    void lapsesWhenNothingIsHeardOrConsentIsOld(String story, long answersUntil, Long answersFrom, long rtcpUntil,
            Long lapsedAt) {
        ConsentExpiry expiry = new ConsentExpiry();
        int rtcp = 0;
        long lastConsent = 0;
        Long firstLapse = null;
        String why = null;
        for (long second = 1; second <= 60 && firstLapse == null; second++) {
            if (second <= answersUntil || (answersFrom != null && second >= answersFrom)) {
                lastConsent = second * 1000L;
            }
            if (second <= rtcpUntil) {
                rtcp++;
            }
            why = expiry.check(second * 1000L, lastConsent, rtcp, TIMEOUT);
            if (why != null) {
                firstLapse = second;
            }
        }
        assertEquals(lapsedAt, firstLapse, story + ": " + why);
        if (lapsedAt != null) {
            assertNotNull(why);
        } else {
            assertNull(why);
        }
    }

    @ParameterizedTest(name = "timeout {0} ms")
    @CsvSource({"7000, 41", "45000, 56"})
    void aConfiguredTimeoutLongerThanRfc7675sLifetimeIsTheLimit(long timeout, long lapsedAt) {
        ConsentExpiry expiry = new ConsentExpiry();
        long first = 0;
        for (long second = 1; second <= 60 && first == 0; second++) {
            if (expiry.check(second * 1000L, 10_000, (int) second, timeout) != null) {
                first = second;
            }
        }
        assertEquals(lapsedAt, first);
    }
}
