package org.atrium.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SfuConfigIceTcpTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void iceTcpPortIsTheMediaPortsNumberByDefaultAndFollowsIt() {
        SfuConfig defaults = SfuConfig.defaults();
        assertEquals(10000, defaults.iceTcpPort());
        assertEquals(0, defaults.withMedia(LOOPBACK, 0, List.of()).iceTcpPort(), "a free port for tests");
        assertEquals(20000, defaults.withMedia(LOOPBACK, 20000, List.of()).iceTcpPort());
    }

    @Test
    void aPortSetApartOrOffStaysWhenTheMediaPortChanges() {
        SfuConfig apart = SfuConfig.defaults().withIceTcpPort(443).withMedia(LOOPBACK, 20000, List.of());
        assertEquals(443, apart.iceTcpPort());
        SfuConfig off = SfuConfig.defaults().withIceTcpPort(-1).withMedia(LOOPBACK, 0, List.of());
        assertEquals(-1, off.iceTcpPort());
        assertFalse(off.iceTcpEnabled());
    }

    @Test
    void portOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SfuConfig.defaults().withIceTcpPort(-2));
        assertThrows(IllegalArgumentException.class, () -> SfuConfig.defaults().withIceTcpPort(65536));
    }
}
