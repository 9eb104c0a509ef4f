package org.atrium.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine's own limit for this load: a plain UDP relay on one socket and one thread
 * that receives each datagram once and sends it to every receiver of the sender's room,
 * with no parsing, no crypto and no RTCP. The SFU does the same socket work plus
 * everything else, so its capacity is quoted as a fraction of this relay's in one run.
 */
final class RawUdpRelay implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final DatagramChannel channel;
    private final Thread thread;
    private final Map<SocketAddress, InetSocketAddress[]> routes = new ConcurrentHashMap<>();
    // Release stores (plain stores on x86) per packet: readers see recent counts without a fence per packet.
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile long unrouted;
    private volatile long sendFailures;

    RawUdpRelay() throws IOException {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        thread = new Thread(this::run, "raw-relay");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** From now on, what {@code sender} sends goes to each of {@code receivers}. */
    void route(InetSocketAddress sender, InetSocketAddress[] receivers) {
        routes.put(sender, receivers.clone());
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        long received = 0;
        long sent = 0;
        try {
            while (true) {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                received++;
                InetSocketAddress[] to = routes.get(from);
                if (to == null) {
                    unrouted++;
                } else {
                    for (InetSocketAddress receiver : to) {
                        buf.rewind();
                        if (channel.send(buf, receiver) > 0) {
                            sent++;
                        } else {
                            sendFailures++;
                        }
                    }
                }
                this.received.lazySet(received);
                this.sent.lazySet(sent);
            }
        } catch (ClosedChannelException e) {
            // close(): done
        } catch (IOException e) {
            System.err.println("raw relay stopped: " + e);
        }
    }

    long receivedPackets() {
        return received.get();
    }

    long sentPackets() {
        return sent.get();
    }

    long unroutedPackets() {
        return unrouted;
    }

    /** CPU time of the relay thread, in seconds. */
    /** The relay's one thread, whose CPU is the relay's, not the load generator's. */
    long threadId() {
        return thread.getId();
    }

    double cpuSeconds() {
        long nanos = THREADS.getThreadCpuTime(thread.getId());
        return nanos < 0 ? Double.NaN : nanos / 1e9;
    }

    @Override
    public void close() {
        try {
            channel.close();
            thread.join(1000);
        } catch (IOException e) {
            // closing: nothing left to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
