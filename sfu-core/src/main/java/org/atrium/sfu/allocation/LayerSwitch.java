package org.atrium.sfu.allocation;

/** A simulcast encoding of a source to switch on or off at its publisher. */
public record LayerSwitch(String sourceId, int spatial, boolean enabled) {

    @Override
    public String toString() {
        return sourceId + ":S" + spatial + (enabled ? " on" : " off");
    }
}
