package io.fashionspark.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.NoOpRpcHandler;
import org.apache.spark.network.server.RpcHandler;
import org.apache.spark.network.server.StreamManager;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.util.TransportConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of the peer exchange's live metrics: each task sends its losses here at the end of every round,
 * so the driver logs a round seconds after it ends, not when the barrier stage does. One server per run, on the
 * driver's address, authenticated as the peers' servers are.
 */
final class RoundFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoundFeed.class);

    /** The feeds of this JVM by address: a task in the driver's JVM (the embedded master) hands its parts over. */
    private static final Map<String, RoundFeed> LOCAL = new ConcurrentHashMap<>();

    private final TransportContext context;
    private final TransportServer server;
    private final String address;
    private final BlockingQueue<Part> parts = new LinkedBlockingQueue<>();
    private final Map<String, Meeting> meetings = new ConcurrentHashMap<>();

    /** The tasks of one stage attempt finding each other: each gives its peer server's address. */
    private static final class Meeting {
        final String[] addresses;
        int count;
        final CompletableFuture<String[]> all = new CompletableFuture<>();

        Meeting(int size) {
            addresses = new String[size];
        }
    }

    /** One task's losses in one round of a segment. */
    record Part(int segment, int worker, int round, double[] losses, int[] examples, long[] timestamps) {
    }

    /**
     * A feed on {@code host}, at the port {@link PeerPorts#DRIVER_PORT_KEY} names in {@code ports} or the next free
     * one (any free port where it is not set); host null: for tasks in this JVM only (the embedded master), with no
     * server at all.
     */
    RoundFeed(TransportConf conf, SecretKeyHolder secret, String host, SparkConf ports) {
        if (host == null) {
            this.context = null;
            this.server = null;
            this.address = "in-process:" + UUID.randomUUID();
        } else {
            this.context = new TransportContext(conf, new Receiver());
            this.server = PeerPorts.start(context, host, ports, PeerPorts.DRIVER_PORT_KEY,
                    PeerAuth.server(conf, secret));
            this.address = host + ":" + server.getPort();
        }
        LOCAL.put(address, this);
    }

    /** Where the tasks send: {@code host:port}, or a name that only this JVM knows. */
    String address() {
        return address;
    }

    /** Where a task sends its parts: straight into the feed when it is in this JVM, else over the network. */
    interface Sender extends AutoCloseable {
        void send(ByteBuffer part);

        /** Every worker's peer address for this stage attempt, in worker order, once all have given theirs. */
        String[] meet(String stageAttempt, int worker, int size, String address, long timeoutMillis)
                throws InterruptedException;

        @Override
        void close();
    }

    /** A sender to the feed at {@code address}, authenticated with {@code secret} (null: none) when remote. */
    static Sender sender(String address, TransportConf conf, SecretKeyHolder secret, String appId)
            throws IOException, InterruptedException {
        RoundFeed local = LOCAL.get(address);
        if (local != null) {
            return new Sender() {
                @Override
                public void send(ByteBuffer part) {
                    local.parts.add(decode(part));
                }

                @Override
                public String[] meet(String stageAttempt, int worker, int size, String address, long timeoutMillis)
                        throws InterruptedException {
                    try {
                        return local.meet(stageAttempt, worker, size, address).get(timeoutMillis,
                                TimeUnit.MILLISECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        throw new PeerRing.PeerFailure("the other workers did not all start within "
                                + timeoutMillis / 1000.0 + " s");
                    }
                }

                @Override
                public void close() {
                }
            };
        }
        TransportContext context = new TransportContext(conf, new NoOpRpcHandler());
        TransportClientFactory factory = context.createClientFactory(PeerAuth.client(conf, appId, secret));
        TransportClient client = PeerAuth.connect(factory, address);
        return new Sender() {
            @Override
            public void send(ByteBuffer part) {
                client.send(part);
            }

            @Override
            public String[] meet(String stageAttempt, int worker, int size, String address, long timeoutMillis) {
                try {
                    return decodeAddresses(client.sendRpcSync(encodeMeeting(stageAttempt, worker, size, address),
                            timeoutMillis));
                } catch (RuntimeException e) {
                    throw new PeerRing.PeerFailure("the other workers did not all start within "
                            + timeoutMillis / 1000.0 + " s: " + e.getMessage());
                }
            }

            @Override
            public void close() {
                client.close();
                factory.close();
                context.close();
            }
        };
    }

    /**
     * Registers {@code worker}'s address for a stage attempt; completes with every worker's, in worker order, once
     * all {@code size} have come. A rendezvous through this server rather than {@code BarrierTaskContext.allGather},
     * whose tasks poll the driver once a second: a second lost per segment.
     */
    CompletableFuture<String[]> meet(String stageAttempt, int worker, int size, String address) {
        Meeting m = meetings.computeIfAbsent(stageAttempt, k -> new Meeting(size));
        synchronized (m) {
            if (m.addresses[worker] == null) {
                m.addresses[worker] = address;
                if (++m.count == size) {
                    // Where the ring runs, for whoever must open a firewall for it or find a silent peer.
                    LOG.info("stage {}: the {} workers' ring servers are at {}", stageAttempt, size,
                            String.join(", ", m.addresses));
                    m.all.complete(m.addresses.clone());
                    meetings.remove(stageAttempt);
                }
            }
        }
        return m.all;
    }

    private static ByteBuffer encodeMeeting(String stageAttempt, int worker, int size, String address) {
        byte[] attempt = stageAttempt.getBytes(StandardCharsets.UTF_8);
        byte[] at = address.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + attempt.length + at.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(worker).putInt(size).putInt(attempt.length).put(attempt).putInt(at.length).put(at);
        b.flip();
        return b;
    }

    private static ByteBuffer encodeAddresses(String[] addresses) {
        return ByteBuffer.wrap(String.join("\n", addresses).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeAddresses(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8).split("\n");
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The next part to arrive within {@code millis}; null if none did. */
    Part poll(long millis) throws InterruptedException {
        return parts.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** A task's message: its segment, worker and round, and per minibatch the loss, images and time. */
    static ByteBuffer encode(int segment, int worker, int round, double[] losses, int[] examples, long[] timestamps,
                             int from, int to) {
        int n = to - from;
        ByteBuffer b = ByteBuffer.allocate(16 + n * 20).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(segment).putInt(worker).putInt(round).putInt(n);
        for (int i = from; i < to; i++) {
            b.putDouble(losses[i]).putInt(examples[i]).putLong(timestamps[i]);
        }
        b.flip();
        return b;
    }

    static Part decode(ByteBuffer message) {
        ByteBuffer b = message.order(ByteOrder.LITTLE_ENDIAN);
        int segment = b.getInt();
        int worker = b.getInt();
        int round = b.getInt();
        int n = b.getInt();
        double[] losses = new double[n];
        int[] examples = new int[n];
        long[] timestamps = new long[n];
        for (int i = 0; i < n; i++) {
            losses[i] = b.getDouble();
            examples[i] = b.getInt();
            timestamps[i] = b.getLong();
        }
        return new Part(segment, worker, round, losses, examples, timestamps);
    }

    @Override
    public void close() {
        LOCAL.remove(address, this);
        if (server != null) {
            server.close();
            context.close();
        }
    }

    private final class Receiver extends RpcHandler {
        private final StreamManager streams = new NoOpRpcHandler().getStreamManager();

        @Override
        public void receive(TransportClient client, ByteBuffer message) {
            parts.add(decode(message));
        }

        @Override
        public void receive(TransportClient client, ByteBuffer message, RpcResponseCallback callback) {
            ByteBuffer b = message.order(ByteOrder.LITTLE_ENDIAN);
            int worker = b.getInt();
            int size = b.getInt();
            String attempt = string(b);
            String address = string(b);
            meet(attempt, worker, size, address).thenAccept(all -> callback.onSuccess(encodeAddresses(all)));
        }

        @Override
        public StreamManager getStreamManager() {
            return streams;
        }
    }
}
