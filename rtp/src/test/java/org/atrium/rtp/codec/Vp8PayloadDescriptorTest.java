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
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        # name; payload; layer sync; beginning of frame
        TID 1 with Y set;               90 e0 81 23 0c 60 | 00; true; true
        TID 2 without Y;                90 e0 81 24 0c 80 | 00; false; true
        no T byte;                      90 80 05 | 00;          false; true
        continuation of a frame;        80 e0 81 23 0c 60 | 00; true; false
        start of partition 1;           91 e0 81 23 0c 60 | 00; true; false
        """)
    void readsLayerSyncAndFrameStart(String name, String hex, boolean sync, boolean beginning) {
        byte[] b = Hex.bytes(hex);
        assertEquals(sync, Vp8PayloadDescriptor.isLayerSync(b, 0, b.length));
        assertEquals(beginning, Vp8PayloadDescriptor.isBeginningOfFrame(b, 0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        # name; payload; new picture id; new TL0PICIDX; expected payload
        15-bit id and TL0PICIDX;        90 e0 81 23 0c 40 | 50; 32767; 255; 90 e0 ff ff ff 40 | 50
        15-bit id wraps to its width;   90 e0 81 23 0c 40 | 50; 32768; 256; 90 e0 80 00 00 40 | 50
        7-bit id keeps 7 bits;          90 90 7f 03 | 50;       200;   -1;  90 90 48 03 | 50
        no picture id, no TL0PICIDX;    10 | 10;                5;     5;   10 | 10
        """)
    void rewritesPictureIdAndTl0PicIdxInPlace(String name, String hex, int pictureId, int tl0PicIdx, String want) {
        byte[] b = Hex.bytes(hex);
        boolean hasPictureId = Vp8PayloadDescriptor.pictureId(b, 0, b.length) >= 0;
        boolean hasTl0 = Vp8PayloadDescriptor.tl0PicIdx(b, 0, b.length) >= 0;
        assertEquals(hasPictureId, Vp8PayloadDescriptor.setPictureId(b, 0, b.length, pictureId));
        if (tl0PicIdx >= 0) {
            assertEquals(hasTl0, Vp8PayloadDescriptor.setTl0PicIdx(b, 0, b.length, tl0PicIdx));
        }
        byte[] expected = Hex.bytes(want);
        assertEquals(Hex.of(expected, 0, expected.length), Hex.of(b, 0, b.length));
    }
}
