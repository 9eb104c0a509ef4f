package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The INIT ACK rate limit's bucket. */
class TokenBucketTest {
    @Test
    void startsFullThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(10);
        int taken = 0;
        while (bucket.take(1000)) {
            taken++;
        }
        assertEquals(10, taken, "a full burst");
        assertFalse(bucket.take(1099), "0.99 of a token after 99 ms");
        assertTrue(bucket.take(1100));
        assertFalse(bucket.take(1100));
    }

    @Test
    void neverHoldsMoreThanOneSecondsWorth() {
        TokenBucket bucket = new TokenBucket(3);
        bucket.take(0);
        int taken = 0;
        while (bucket.take(60_000)) {
            taken++;
        }
        assertEquals(3, taken);
    }

    @Test
    void aClockGoingBackRefillsNothing() {
        TokenBucket bucket = new TokenBucket(1);
        assertTrue(bucket.take(5000));
        assertFalse(bucket.take(1000));
        assertFalse(bucket.take(1500), "500 ms after the last call, half a token");
        assertTrue(bucket.take(2000));
    }
}
