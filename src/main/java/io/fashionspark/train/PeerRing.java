package io.fashionspark.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.buffer.NioManagedBuffer;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthServerBootstrap;
import org.apache.spark.network.protocol.OneWayMessage;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.NoOpRpcHandler;
import org.apache.spark.network.server.RpcHandler;
import org.apache.spark.network.server.StreamManager;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.util.TransportConf;

/**
 * One member of a ring of peers that average a float vector among themselves: a ring all-reduce (reduce-scatter,
 * then all-gather), over Spark's own Netty transport ({@code network-common}).
 *
 * <p>Each member sends and receives {@code 2 (n - 1) / n} of the vector per all-reduce, whatever {@code n} is: the
 * traffic per member does not grow with the ring. The sum of each slice is taken in a fixed order (starting at the
 * member that owns it and going round the ring), and the all-gather copies the finished slices, so every member
 * ends with the same bits, and a run repeats them.
 *
 * <p>A member's server binds only the address it is given (the executor's), and with a secret it accepts only
 * clients that prove the application's secret, encrypting where {@code spark.network.crypto.enabled} says so:
 * Spark's own {@link AuthServerBootstrap}, the one its block transfers use. A member that hears nothing from its
 * left neighbour within the timeout, or whose neighbour's connection closes, fails instead of waiting.
 */
final class PeerRing implements AllReduce {
    /** A message's header: the all-reduce's sequence number, its step within it, and the chunk of the step. */
    private static final int HEADER_BYTES = 12;
    /**
     * The floats a message carries at most. Small enough that a chunk is copied, added and sent from the CPU's
     * cache and that the next step starts early; large enough that a message's fixed cost stays small.
     */
    static final int CHUNK_FLOATS = 64 * 1024;
    private static final float[] CLOSED = new float[0];

    private final TransportContext context;
    private final TransportServer server;
    private final TransportClientFactory clients;
    private final String host;
    private final long timeoutMillis;
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    /**
     * Chunk-sized buffers used again, round after round: arrays for what arrives and direct buffers for what is
     * sent. A fresh one per message would be zeroed first, and the collector would see a model's worth of garbage
     * every round.
     */
    private final Queue<float[]> free = new ConcurrentLinkedQueue<>();
    private final Queue<ByteBuffer> outgoing = new ConcurrentLinkedQueue<>();
    private volatile Throwable sendFailure;
    /** The vector a model's parts are gathered into, kept from round to round (17.7 MB for a FashionCNN). */
    private float[] gathered = new float[0];
    private TransportClient right;
    private int rank;
    private int size = 1;
    private int sequence;
    private long sentBytes;
    /** Whether the last all-reduce ended in the middle (failed or interrupted): then close says no goodbye. */
    private boolean broken;

    /** A chunk as it arrived: its first {@code length} values, in an array of the free list's. */
    private record Message(int sequence, int step, int chunk, float[] values, int length) {
    }

    /**
     * Starts this member's server on {@code host}, on any free port.
     *
     * @param secret the application's secret; null where the cluster does not authenticate
     * @param appId  the application whose secret it is
     */
    PeerRing(TransportConf conf, SecretKeyHolder secret, String appId, String host, long timeoutMillis) {
        this(conf, secret, appId, host, new SparkConf(false), timeoutMillis);
    }

    /**
     * Starts this member's server on {@code host}, at the port {@link PeerPorts#PORT_KEY} names in {@code ports} or
     * the next free one after it (any free port where it is not set).
     */
    PeerRing(TransportConf conf, SecretKeyHolder secret, String appId, String host, SparkConf ports,
             long timeoutMillis) {
        this.host = host;
        this.timeoutMillis = timeoutMillis;
        // Idle connections stay open: a long round (many minibatches between averagings) is not a dead peer.
        this.context = new TransportContext(conf, new Inbox());
        this.server = PeerPorts.start(context, host, ports, PeerPorts.PORT_KEY, PeerAuth.server(conf, secret));
        this.clients = context.createClientFactory(PeerAuth.client(conf, appId, secret));
    }

    /** Where the other members reach this one: {@code host:port}. */
    String address() {
        return host + ":" + server.getPort();
    }

    /**
     * Joins the ring: {@code addresses} are every member's {@link #address()}, in rank order, this one's at
     * {@code rank}. Connects to the right neighbour.
     */
    void join(int rank, List<String> addresses) throws IOException, InterruptedException {
        this.rank = rank;
        this.size = addresses.size();
        if (size > 1) {
            right = PeerAuth.connect(clients, addresses.get((rank + 1) % size));
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long sentBytes() {
        return sentBytes;
    }

    /**
     * Replaces {@code values} with the members' mean, element by element: the sum in the ring's fixed order,
     * divided by the ring's size. Every member calls it with a vector of the same length.
     *
     * <p>Each slice travels in chunks, and a chunk goes on round the ring as soon as it has been added: the next
     * step's sending overlaps this step's receiving, and a chunk is copied, added and sent while it is still in the
     * CPU's cache. The chunks change where the work is done, not the arithmetic: every element gets the same
     * additions in the same order, so the bits are those of a ring that sends whole slices.
     */
    @Override
    public void allReduceMean(float[] values) throws InterruptedException {
        if (size == 1) {
            return;
        }
        int seq = sequence++;
        int n = size;
        int last = 2 * (n - 1) - 1;
        broken = true;
        // Reduce-scatter: at step s this member sends slice (rank - s) and adds what its left neighbour sends of
        // slice (rank - s - 1); after n - 1 steps it holds the finished sum of slice (rank + 1). All-gather (steps
        // n - 1 on): the finished slices go round the ring, copied as they are. What a member receives at step s
        // is what it sends at step s + 1, chunk by chunk.
        int first = rank;
        for (int c = 0, chunks = chunks(first, values.length); c < chunks; c++) {
            send(seq, 0, c, values, chunkFrom(first, c, values.length), chunkTo(first, c, values.length));
        }
        for (int step = 0; step <= last; step++) {
            boolean reducing = step < n - 1;
            int in = Math.floorMod(reducing ? rank - step - 1 : rank - (step - (n - 1)), n);
            for (int c = 0, chunks = chunks(in, values.length); c < chunks; c++) {
                int from = chunkFrom(in, c, values.length);
                int to = chunkTo(in, c, values.length);
                Message got = receive(seq, step, c, to - from);
                if (reducing) {
                    for (int i = 0; i < got.length; i++) {
                        values[from + i] += got.values[i];
                    }
                    if (step == n - 2) {
                        // The slice's sum is finished here, at its own member.
                        for (int i = from; i < to; i++) {
                            values[i] /= n;
                        }
                    }
                } else {
                    System.arraycopy(got.values, 0, values, from, got.length);
                }
                free.offer(got.values);
                if (step < last) {
                    send(seq, step + 1, c, values, from, to);
                }
            }
        }
        broken = false;
    }

    /** One array for the gathered parts that lives as long as the ring, rather than a new one every round. */
    @Override
    public float[] gatherInto(int length) {
        if (gathered.length != length) {
            gathered = new float[length];
        }
        return gathered;
    }

    private int from(int slice, int length) {
        return sliceStart(slice, length, size);
    }

    private int to(int slice, int length) {
        return sliceStart(slice + 1, length, size);
    }

    /**
     * Where slice {@code slice} of a vector of {@code length} cut among {@code members} starts (and slice
     * {@code slice - 1} ends). {@link SharedMemoryRing} cuts its slices here too: the same cut is part of the same
     * bits.
     */
    static int sliceStart(int slice, int length, int members) {
        return (int) ((long) length * slice / members);
    }

    private int chunks(int slice, int length) {
        return Math.max(1, (to(slice, length) - from(slice, length) + CHUNK_FLOATS - 1) / CHUNK_FLOATS);
    }

    private int chunkFrom(int slice, int chunk, int length) {
        return from(slice, length) + chunk * CHUNK_FLOATS;
    }

    private int chunkTo(int slice, int chunk, int length) {
        return Math.min(to(slice, length), chunkFrom(slice, chunk, length) + CHUNK_FLOATS);
    }

    /**
     * Sends a chunk from a direct buffer, which the socket writes from without a copy of its own, and takes the
     * buffer back once Netty has written it.
     */
    private void send(int seq, int step, int chunk, float[] values, int from, int to) {
        ByteBuffer pooled = outgoing.poll();
        ByteBuffer message = (pooled != null ? pooled
                : ByteBuffer.allocateDirect(HEADER_BYTES + 4 * CHUNK_FLOATS)).clear().order(ByteOrder.LITTLE_ENDIAN);
        message.putInt(seq).putInt(step).putInt(chunk);
        message.asFloatBuffer().put(values, from, to - from);
        message.limit(HEADER_BYTES + 4 * (to - from)).rewind();
        sentBytes += message.remaining();
        right.getChannel().writeAndFlush(new OneWayMessage(new NioManagedBuffer(message))).addListener(f -> {
            if (!f.isSuccess()) {
                sendFailure = f.cause();
            }
            outgoing.offer(message);
        });
    }

    private Message receive(int seq, int step, int chunk, int length) throws InterruptedException {
        Message m = inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (sendFailure != null) {
            throw new PeerFailure("could not send to peer " + Math.floorMod(rank + 1, size) + ": " + sendFailure);
        }
        if (m == null) {
            throw new PeerFailure("peer " + Math.floorMod(rank - 1, size) + " sent nothing for "
                    + timeoutMillis / 1000.0 + " s (step " + step + " of exchange " + seq + "); it died or stopped "
                    + "answering");
        }
        if (m.values == CLOSED) {
            throw new PeerFailure("the connection from peer " + Math.floorMod(rank - 1, size) + " closed during "
                    + "exchange " + seq);
        }
        if (m.sequence != seq || m.step != step || m.chunk != chunk || m.length != length) {
            throw new PeerFailure("peer " + Math.floorMod(rank - 1, size) + " sent chunk " + m.chunk + " of step "
                    + m.step + " of exchange " + m.sequence + " (" + m.length + " values) where chunk " + chunk
                    + " of step " + step + " of exchange " + seq + " (" + length + " values) was due");
        }
        return m;
    }

    /**
     * Waits for this member's last message to reach its right neighbour (a round trip behind it on the same
     * connection), then stops its client and server.
     */
    @Override
    public void close() {
        if (right != null && !broken) {
            try {
                right.sendRpcSync(ByteBuffer.allocate(0), timeoutMillis);
            } catch (RuntimeException e) {
                // The neighbour has already closed: it had every message it needed.
            }
        }
        if (right != null) {
            right.close();
        }
        clients.close();
        server.close();
        context.close();
    }

    /** A peer died, stopped answering or broke the protocol: the task fails, and Spark relaunches the stage. */
    static final class PeerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PeerFailure(String message) {
            super(message);
        }
    }

    /**
     * The server side: every message from the left neighbour, copied out of Netty's buffer into the inbox. The first
     * connection that sends is the neighbour; any other is ignored, and only the neighbour's closing counts.
     */
    private final class Inbox extends RpcHandler {
        private final StreamManager streams = new NoOpRpcHandler().getStreamManager();
        private TransportClient left;

        @Override
        public void receive(TransportClient client, ByteBuffer message) {
            synchronized (this) {
                if (left == null) {
                    left = client;
                } else if (left != client) {
                    return;
                }
            }
            ByteBuffer in = message.order(ByteOrder.LITTLE_ENDIAN);
            int seq = in.getInt();
            int step = in.getInt();
            int chunk = in.getInt();
            int length = in.remaining() / 4;
            float[] values = length <= CHUNK_FLOATS ? free.poll() : null;
            if (values == null) {
                values = new float[Math.max(length, CHUNK_FLOATS)];
            }
            in.asFloatBuffer().get(values, 0, length);
            inbox.add(new Message(seq, step, chunk, values, length));
        }

        @Override
        public void receive(TransportClient client, ByteBuffer message, RpcResponseCallback callback) {
            // The left neighbour's last call: everything it sent before has arrived.
            callback.onSuccess(ByteBuffer.allocate(0));
        }

        @Override
        public void channelInactive(TransportClient client) {
            synchronized (this) {
                if (client != left) {
                    return;
                }
            }
            inbox.add(new Message(-1, -1, -1, CLOSED, 0));
        }

        @Override
        public StreamManager getStreamManager() {
            return streams;
        }
    }
}
