package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.atrium.rtp.codec.AudioLevel;
import org.atrium.sfu.media.MediaKind;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The room's dominant speaker, decided from the audio level extension of real SRTP
 * packets: everyone in the room is told, the speaker included, and silence changes
 * nothing.
 */
@Timeout(60)
class ActiveSpeakerTest {

    private static final int AUDIO_LEVEL_ID = 1;
    private static final int OPUS = 111;

    @AutoClose
    private final SfuFixture fixture = new SfuFixture();

    @Test
    void theOneWhoSpeaksBecomesTheActiveSpeakerForEveryone() throws Exception {
        PeerInRoom talker = fixture.connected("room", "talker");
        PeerInRoom listener = fixture.connected("room", "listener");
        talker.participant().publish("0", MediaKind.AUDIO, 1111, -1);
        listener.participant().publish("0", MediaKind.AUDIO, 2222, -1);

        // 2 s of 20 ms packets: the talker at -30 dBov with voice, the listener silent.
        for (int i = 0; i < 100; i++) {
            talker.peer().sendRtp(rtp(1111, OPUS).sequenceNumber(i).timestamp(960L * i)
                    .extension(AUDIO_LEVEL_ID, new byte[] {AudioLevel.encode(true, 30)}).payload(new byte[20]).build());
            listener.peer().sendRtp(rtp(2222, OPUS).sequenceNumber(i).timestamp(960L * i)
                    .extension(AUDIO_LEVEL_ID, new byte[] {AudioLevel.encode(false, 127)}).payload(new byte[20]).build());
            Thread.sleep(20);
        }
        String talkerId = talker.participant().id();
        assertEquals(talkerId, listener.listener().nextActiveSpeaker(Duration.ofSeconds(3)));
        assertEquals(talkerId, talker.listener().nextActiveSpeaker(Duration.ofSeconds(3)));
        assertEquals(talkerId, talker.participant().room().activeSpeaker());
        // Silence keeps the speaker: no further change.
        assertNull(listener.listener().nextActiveSpeaker(Duration.ofSeconds(1)));
    }
}
