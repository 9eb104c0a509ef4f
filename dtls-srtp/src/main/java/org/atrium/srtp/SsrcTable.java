package org.atrium.srtp;

/**
 * An SSRC-to-context map for the media path: lookups read an immutable open-addressing table
 * through one volatile field without locking or boxing; insertions and removals (rare: a new
 * or departing stream) copy the table under the owner's lock.
 */
final class SsrcTable<T> {
    private static final class Table {
        final int[] keys;
        final Object[] values;
        final int size;

        Table(int capacity, int size) {
            this.keys = new int[capacity];
            this.values = new Object[capacity];
            this.size = size;
        }
    }

    private final int capacity;
    private volatile Table table;

    SsrcTable(int maxEntries) {
        // A load factor of at most one half keeps probe sequences short.
        this.capacity = Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) << 1;
        this.table = new Table(capacity, 0);
    }

    private static int slot(int ssrc, int mask) {
        return (ssrc * 0x9E3779B9) >>> 16 & mask;
    }

    @SuppressWarnings("unchecked")
    T get(int ssrc) {
        Table t = table;
        int mask = t.keys.length - 1;
        for (int i = slot(ssrc, mask); ; i = (i + 1) & mask) {
            Object v = t.values[i];
            if (v == null) {
                return null;
            }
            if (t.keys[i] == ssrc) {
                return (T) v;
            }
        }
    }

    int size() {
        return table.size;
    }

    /** Callers hold the owner's lock and have checked the SSRC is absent and room remains. */
    void put(int ssrc, T value) {
        Table old = table;
        Table copy = new Table(capacity, old.size + 1);
        for (int i = 0; i < old.values.length; i++) {
            if (old.values[i] != null) {
                insert(copy, old.keys[i], old.values[i]);
            }
        }
        insert(copy, ssrc, value);
        table = copy;
    }

    /** Callers hold the owner's lock. */
    boolean remove(int ssrc) {
        Table old = table;
        if (get(ssrc) == null) {
            return false;
        }
        Table copy = new Table(capacity, old.size - 1);
        for (int i = 0; i < old.values.length; i++) {
            if (old.values[i] != null && old.keys[i] != ssrc) {
                insert(copy, old.keys[i], old.values[i]);
            }
        }
        table = copy;
        return true;
    }

    private static void insert(Table t, int key, Object value) {
        int mask = t.keys.length - 1;
        int i = slot(key, mask);
        while (t.values[i] != null) {
            i = (i + 1) & mask;
        }
        t.keys[i] = key;
        t.values[i] = value;
    }
}
