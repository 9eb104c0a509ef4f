package org.atrium.sfu.turn;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An allocation's permissions (RFC 8656 9): peer IP addresses (ports do not count) that may send
 * to and receive from the relay, each for 300 s from its last CreatePermission or ChannelBind.
 *
 * <p>Copy-on-write: the engine changes it under its lock; the data path reads the current array
 * through one volatile read, without locking. An allocation holds a few permissions, so a scan is
 * as fast as a hash lookup and allocates nothing.
 */
final class Permissions {

    static final long LIFETIME_MILLIS = 300_000;
    /** A bound on memory per allocation; RFC 8656 lets a server limit permissions. */
    static final int MAX = 64;

    private record Entry(InetAddress address, long expiresAt) {
    }

    private volatile Entry[] entries = new Entry[0];

    /** Whether {@code address} may exchange data with the relay at {@code nowMillis}. Lock-free. */
    boolean permits(InetAddress address, long nowMillis) {
        for (Entry entry : entries) {
            if (entry.expiresAt > nowMillis && entry.address.equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether installing these addresses would stay within {@link #MAX}. Under the engine's lock. */
    boolean roomFor(InetAddress[] addresses) {
        int added = 0;
        for (InetAddress address : addresses) {
            if (indexOf(entries, address) < 0) {
                added++;
            }
        }
        return entries.length + added <= MAX;
    }

    /** Installs or refreshes a permission until now + 300 s. Under the engine's lock. */
    void install(InetAddress address, long nowMillis) {
        Entry[] current = entries;
        Entry entry = new Entry(address, nowMillis + LIFETIME_MILLIS);
        int at = indexOf(current, address);
        Entry[] next = Arrays.copyOf(current, at < 0 ? current.length + 1 : current.length);
        next[at < 0 ? current.length : at] = entry;
        entries = next;
    }

    /** Forgets permissions whose time is up. Under the engine's lock. */
    void expire(long nowMillis) {
        Entry[] current = entries;
        int live = 0;
        for (Entry entry : current) {
            if (entry.expiresAt > nowMillis) {
                live++;
            }
        }
        if (live < current.length) {
            entries = Arrays.stream(current).filter(e -> e.expiresAt > nowMillis).toArray(Entry[]::new);
        }
    }

    int size() {
        return entries.length;
    }

    private static int indexOf(Entry[] entries, InetAddress address) {
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].address.equals(address)) {
                return i;
            }
        }
        return -1;
    }
}
