/**
 * Per-receiver bandwidth allocation: which layer of each subscribed video a receiver gets
 * from its downlink estimate, and which simulcast encodings publishers need to send at all.
 * Pure: records in, decisions out; no I/O, no threads, no clock (times are passed in).
 *
 * <ul>
 *   <li>{@link org.atrium.sfu.allocation.BandwidthAllocator}: one allocation from a budget
 *       (audio first, everyone's lowest layer, the stage, then rounds by priority).
 *   <li>{@link org.atrium.sfu.allocation.ReceiverAllocator}: per receiver, with hysteresis
 *       (downgrade at once, upgrade once a probe or a lasting estimate confirms it).
 *   <li>{@link org.atrium.sfu.allocation.PublisherLayerDemand}: per room, which encodings to
 *       switch on or off at each publisher.
 * </ul>
 */
package org.atrium.sfu.allocation;
