package org.atrium.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client whose first connectivity check reaches the SFU seconds after its answer, as under a
 * join storm on a loaded server: the SFU cannot check the client's candidate before it has heard
 * from it, and such a check must not count as failed, or ice4j fails the whole session 5 s after
 * its checks have all failed. The session waits for the client's check (within the ICE timeout).
 */
@Timeout(60)
class LateFirstCheckTest {

    /** Past ice4j's 5 s between a check list whose checks all failed and the session's failure. */
    private static final long LATE_MILLIS = 6500;

    @AutoClose
    private final SfuFixture fixture = new SfuFixture();

    @Test
    void aClientWhoseFirstCheckComesSecondsAfterItsAnswerStillConnects() throws Exception {
        PeerInRoom late = fixture.joined("room", "late");
        late.participant().startTransport(late.peer().remoteParametersForSfu());
        Thread.sleep(LATE_MILLIS);
        assertFalse(late.participant().isClosed(), "the session waited for the client's check");
        late.peer().connect(late.participant().transport());
        late.peer().awaitConnected(Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!late.participant().transport().isMediaReady() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(late.participant().transport().isMediaReady(), "the SFU's side has its keys too");
        assertEquals(0, late.listener().closedEventCount());
    }
}
