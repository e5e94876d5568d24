package io.fashionspark.train;

import java.io.IOException;
import java.util.List;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientBootstrap;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.crypto.AuthServerBootstrap;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.TransportServerBootstrap;
import org.apache.spark.network.util.TransportConf;

/**
 * The one place that decides how the peer exchange's servers and clients authenticate: with the application's
 * secret, through Spark's own bootstraps (AES-based where {@code spark.network.crypto.enabled}, SASL otherwise), as
 * Spark's block transfers do; with none where the cluster does not authenticate.
 */
final class PeerAuth {
    private PeerAuth() {
    }

    /** What a server runs on each new connection; {@code secret} null: nothing. */
    static List<TransportServerBootstrap> server(TransportConf conf, SecretKeyHolder secret) {
        return secret == null ? List.of() : List.of(new AuthServerBootstrap(conf, secret));
    }

    /** What a client runs on each new connection; {@code secret} null: nothing. */
    static List<TransportClientBootstrap> client(TransportConf conf, String appId, SecretKeyHolder secret) {
        return secret == null ? List.of() : List.of(new AuthClientBootstrap(conf, appId, secret));
    }

    /** A client to the server at {@code host:port}. */
    static TransportClient connect(TransportClientFactory clients, String address)
            throws IOException, InterruptedException {
        int colon = address.lastIndexOf(':');
        return clients.createClient(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }
}
