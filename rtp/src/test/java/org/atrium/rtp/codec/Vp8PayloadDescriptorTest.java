package org.atrium.rtp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.atrium.rtp.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Vp8PayloadDescriptorTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        # name; payload; length; start; partition; pictureId; tl0PicIdx; tid; keyframe
        chrome keyframe start, 15-bit picture id; 90 e0 81 23 0c 40 | 50 42 00 9d 01 2a; 6; true; 0; 291; 12; 1; true
        chrome delta frame start;                 90 e0 81 24 0c 80 | 31 42 00;          6; true; 0; 292; 12; 2; false
        keyframe continuation (S=0);              80 e0 81 23 0c 40 | aa bb;             6; false; 0; 291; 12; 1; false
        start of partition 1;                     91 80 05 | 50 42;                      3; true; 1; 5; -1; -1; false
        minimal descriptor, keyframe;             10 | 10 02 00 9d 01 2a;                1; true; 0; -1; -1; -1; true
        7-bit picture id and K only;              90 90 7f 03 | 50;                      4; true; 0; 127; -1; -1; true
        descriptor only, no VP8 header;           90 e0 81 23 0c 40;                     6; true; 0; 291; 12; 1; false
        X set, extension byte missing;            90;                                    -1; true; 0; -1; -1; -1; false
        15-bit picture id truncated;              90 80 81;                              -1; true; 0; -1; -1; -1; false
        L set, TL0PICIDX missing;                 90 c0 81 23;                           -1; true; 0; -1; -1; -1; false
        """)
    void readsDescriptor(String name, String hex, int length, boolean start, int partition, int pictureId,
                         int tl0PicIdx, int tid, boolean keyframe) {
        byte[] payload = Hex.bytes(hex);
        int off = 7;
        byte[] b = Hex.at(off, payload);
        int len = payload.length;
        assertEquals(length, Vp8PayloadDescriptor.length(b, off, len));
        assertEquals(start, Vp8PayloadDescriptor.isStartOfPartition(b, off));
        assertEquals(partition, Vp8PayloadDescriptor.partitionIndex(b, off));
        assertEquals(pictureId, Vp8PayloadDescriptor.pictureId(b, off, len));
        assertEquals(tl0PicIdx, Vp8PayloadDescriptor.tl0PicIdx(b, off, len));
        assertEquals(tid, Vp8PayloadDescriptor.temporalLayer(b, off, len));
        assertEquals(keyframe, Vp8PayloadDescriptor.isKeyframe(b, off, len));
    }

    @Test
    void emptyPayloadIsNoDescriptor() {
        byte[] b = new byte[4];
        assertEquals(-1, Vp8PayloadDescriptor.length(b, 2, 0));
        assertFalse(Vp8PayloadDescriptor.isKeyframe(b, 2, 0));
    }
}
