package org.atrium.sfu.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalRoomDirectoryTest {

    private static List<RoomMember> members(RoomDirectory directory, String room) throws Exception {
        return directory.members(room).toCompletableFuture().get(1, TimeUnit.SECONDS);
    }

    @Test
    void addReplaceAndRemove() throws Exception {
        LocalRoomDirectory directory = new LocalRoomDirectory();
        directory.add("r", "p1", "Ada", null);
        directory.add("r", "p1", "Ada L.", "ada");
        assertEquals(List.of(new RoomMember("p1", "local", "Ada L.", "ada")), members(directory, "r"));
        directory.remove("r", "p1");
        directory.remove("r", "absent");
        assertEquals(List.of(), members(directory, "r"));
        assertEquals(List.of(), members(directory, "unknown"));
    }
}
