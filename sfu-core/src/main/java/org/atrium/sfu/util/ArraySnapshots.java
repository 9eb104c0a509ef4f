package org.atrium.sfu.util;

import java.util.Arrays;

/**
 * Copy-on-write arrays for routing tables: the media path reads a volatile array
 * without a lock, and each (rare) change publishes a new array.
 */
public final class ArraySnapshots {

    private ArraySnapshots() {
    }

    /** A new array with {@code element} appended. */
    public static <T> T[] with(T[] array, T element) {
        T[] next = Arrays.copyOf(array, array.length + 1);
        next[array.length] = element;
        return next;
    }

    /** A new array without the first occurrence of {@code element} (by identity), or the same array. */
    public static <T> T[] without(T[] array, T element) {
        for (int i = 0; i < array.length; i++) {
            if (array[i] == element) {
                T[] next = Arrays.copyOf(array, array.length - 1);
                System.arraycopy(array, i + 1, next, i, array.length - i - 1);
                return next;
            }
        }
        return array;
    }
}
