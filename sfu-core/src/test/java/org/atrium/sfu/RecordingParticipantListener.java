package org.atrium.sfu;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Member;
import org.atrium.sfu.room.ParticipantListener;

/** Records what the core tells one participant's signaling, for tests to wait on. */
final class RecordingParticipantListener implements ParticipantListener {

    /** A participant that left, and why. */
    record Departure(Member participant, LeaveReason reason) {
    }

    private final BlockingQueue<Member> joined = new LinkedBlockingQueue<>();
    private final BlockingQueue<Departure> left = new LinkedBlockingQueue<>();
    private final BlockingQueue<Consumer> consumersAdded = new LinkedBlockingQueue<>();
    private final BlockingQueue<Consumer> consumersClosed = new LinkedBlockingQueue<>();
    private final BlockingQueue<LeaveReason> closed = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> activeSpeakers = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> dataOverflows = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> dataRefusals = new LinkedBlockingQueue<>();
    private final BlockingQueue<Producer> producersAdded = new LinkedBlockingQueue<>();
    private final BlockingQueue<Producer> producersClosed = new LinkedBlockingQueue<>();
    private final BlockingQueue<java.util.Map<String, Boolean>> publishLayers = new LinkedBlockingQueue<>();

    @Override
    public void onParticipantJoined(Member other) {
        joined.add(other);
    }

    @Override
    public void onParticipantLeft(Member other, LeaveReason reason) {
        left.add(new Departure(other, reason));
    }

    @Override
    public void onConsumerAdded(Consumer consumer) {
        consumersAdded.add(consumer);
    }

    @Override
    public void onConsumerClosed(Consumer consumer) {
        consumersClosed.add(consumer);
    }

    @Override
    public void onProducerAdded(Producer producer) {
        producersAdded.add(producer);
    }

    @Override
    public void onProducerClosed(Producer producer) {
        producersClosed.add(producer);
    }

    @Override
    public void onPublishLayers(Producer producer, java.util.Map<String, Boolean> active) {
        publishLayers.add(active);
    }

    /** The next encodings-on state told to this participant as a publisher, by RID. */
    java.util.Map<String, Boolean> nextPublishLayers(Duration timeout) throws InterruptedException {
        return publishLayers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onActiveSpeaker(String participantId) {
        activeSpeakers.add(participantId);
    }

    @Override
    public void onDataOverflow(String label) {
        dataOverflows.add(label);
    }

    @Override
    public void onDataRefused(String label, String reason) {
        dataRefusals.add(label + " " + reason);
    }

    @Override
    public void onClosed(LeaveReason reason) {
        closed.add(reason);
    }

    Consumer nextConsumerAdded(Duration timeout) throws InterruptedException {
        return consumersAdded.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Consumer nextConsumerClosed(Duration timeout) throws InterruptedException {
        return consumersClosed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Producer nextProducerAdded(Duration timeout) throws InterruptedException {
        return producersAdded.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Producer nextProducerClosed(Duration timeout) throws InterruptedException {
        return producersClosed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Member nextParticipantJoined(Duration timeout) throws InterruptedException {
        return joined.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Departure nextParticipantLeft(Duration timeout) throws InterruptedException {
        return left.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why this participant was removed, or null when it was not within the timeout. */
    LeaveReason awaitClosed(Duration timeout) throws InterruptedException {
        return closed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The label of the next channel the SFU closed because this participant fell behind. */
    String nextDataOverflow(Duration timeout) throws InterruptedException {
        return dataOverflows.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next refusal of this participant's data, as "label reason". */
    String nextDataRefusal(Duration timeout) throws InterruptedException {
        return dataRefusals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String nextActiveSpeaker(Duration timeout) throws InterruptedException {
        return activeSpeakers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int closedEventCount() {
        return closed.size();
    }

    /** Forgets every event recorded so far (a long test keeps no reference to departed participants). */
    void clear() {
        joined.clear();
        left.clear();
        consumersAdded.clear();
        consumersClosed.clear();
        activeSpeakers.clear();
        dataOverflows.clear();
        dataRefusals.clear();
        producersAdded.clear();
        producersClosed.clear();
    }
}
