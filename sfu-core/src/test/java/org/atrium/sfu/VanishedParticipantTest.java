package org.atrium.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.atrium.sfu.room.LeaveReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With the built-in settings, a participant that vanishes (tab killed, network cut: it
 * stops answering anything) is removed within 10 s, and the others are told why.
 */
@Timeout(60)
class VanishedParticipantTest {

    @Test
    void aVanishedParticipantIsRemovedWithinTenSecondsAndTheOthersAreTold() throws Exception {
        try (SfuFixture fixture = new SfuFixture()) {
            PeerInRoom stays = fixture.connected("room", "stays");
            PeerInRoom vanishes = fixture.connected("room", "vanishes");
            long vanished = System.nanoTime();
            vanishes.peer().stopResponding();

            RecordingParticipantListener.Departure departure =
                    stays.listener().nextParticipantLeft(Duration.ofSeconds(12));
            long millis = (System.nanoTime() - vanished) / 1_000_000;
            System.out.println("vanished participant removed after " + millis + " ms");
            assertNotNull(departure, "not removed within 12 s");
            assertSame(vanishes.participant(), departure.participant());
            assertEquals(LeaveReason.CONSENT_EXPIRED, departure.reason());
            assertTrue(millis <= 10_000, "removed after " + millis + " ms");
            assertTrue(!stays.participant().isClosed());
        }
    }
}
