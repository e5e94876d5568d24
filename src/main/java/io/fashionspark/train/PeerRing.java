package io.fashionspark.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthServerBootstrap;
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
    /** A message's header: the all-reduce's sequence number and its step within it. */
    private static final int HEADER_BYTES = 8;
    private static final float[] CLOSED = new float[0];

    private final TransportContext context;
    private final TransportServer server;
    private final TransportClientFactory clients;
    private final String host;
    private final long timeoutMillis;
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private TransportClient right;
    private int rank;
    private int size = 1;
    private int sequence;
    private long sentBytes;
    /** Whether the last all-reduce ended in the middle (failed or interrupted): then close says no goodbye. */
    private boolean broken;

    private record Message(int sequence, int step, float[] values) {
    }

    /**
     * Starts this member's server on {@code host} (an ephemeral port).
     *
     * @param secret the application's secret; null where the cluster does not authenticate
     * @param appId  the application whose secret it is
     */
    PeerRing(TransportConf conf, SecretKeyHolder secret, String appId, String host, long timeoutMillis) {
        this.host = host;
        this.timeoutMillis = timeoutMillis;
        // Idle connections stay open: a long round (many minibatches between averagings) is not a dead peer.
        this.context = new TransportContext(conf, new Inbox());
        this.server = context.createServer(host, 0, PeerAuth.server(conf, secret));
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
     */
    @Override
    public void allReduceMean(float[] values) throws InterruptedException {
        if (size == 1) {
            return;
        }
        int seq = sequence++;
        int n = size;
        broken = true;
        // Reduce-scatter: at step s this member sends slice (rank - s) and adds what its left neighbour sends of
        // slice (rank - s - 1); after n - 1 steps it holds the finished sum of slice (rank + 1).
        for (int s = 0; s < n - 1; s++) {
            int out = Math.floorMod(rank - s, n);
            send(seq, s, values, from(out, values.length), to(out, values.length));
            int in = Math.floorMod(rank - s - 1, n);
            float[] got = receive(seq, s, to(in, values.length) - from(in, values.length));
            int at = from(in, values.length);
            for (int i = 0; i < got.length; i++) {
                values[at + i] += got[i];
            }
        }
        int own = Math.floorMod(rank + 1, n);
        for (int i = from(own, values.length), end = to(own, values.length); i < end; i++) {
            values[i] /= n;
        }
        // All-gather: the finished slices go round the ring, copied as they are.
        for (int s = 0; s < n - 1; s++) {
            int out = Math.floorMod(rank + 1 - s, n);
            send(seq, n - 1 + s, values, from(out, values.length), to(out, values.length));
            int in = Math.floorMod(rank - s, n);
            float[] got = receive(seq, n - 1 + s, to(in, values.length) - from(in, values.length));
            System.arraycopy(got, 0, values, from(in, values.length), got.length);
        }
        broken = false;
    }

    private int from(int slice, int length) {
        return (int) ((long) length * slice / size);
    }

    private int to(int slice, int length) {
        return (int) ((long) length * (slice + 1) / size);
    }

    private void send(int seq, int step, float[] values, int from, int to) {
        ByteBuffer message = ByteBuffer.allocate(HEADER_BYTES + 4 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
        message.putInt(seq).putInt(step);
        message.asFloatBuffer().put(values, from, to - from);
        message.rewind();
        sentBytes += message.remaining();
        right.send(message);
    }

    private float[] receive(int seq, int step, int length) throws InterruptedException {
        Message m = inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new PeerFailure("peer " + Math.floorMod(rank - 1, size) + " sent nothing for "
                    + timeoutMillis / 1000.0 + " s (step " + step + " of exchange " + seq + "); it died or stopped "
                    + "answering");
        }
        if (m.values == CLOSED) {
            throw new PeerFailure("the connection from peer " + Math.floorMod(rank - 1, size) + " closed during "
                    + "exchange " + seq);
        }
        if (m.sequence != seq || m.step != step || m.values.length != length) {
            throw new PeerFailure("peer " + Math.floorMod(rank - 1, size) + " sent step " + m.step + " of exchange "
                    + m.sequence + " (" + m.values.length + " values) where step " + step + " of exchange " + seq
                    + " (" + length + " values) was due");
        }
        return m.values;
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
            float[] values = new float[in.remaining() / 4];
            in.asFloatBuffer().get(values);
            inbox.add(new Message(seq, step, values));
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
            inbox.add(new Message(-1, -1, CLOSED));
        }

        @Override
        public StreamManager getStreamManager() {
            return streams;
        }
    }
}
