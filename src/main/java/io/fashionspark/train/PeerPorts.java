package io.fashionspark.train;

import io.fashionspark.config.ConfigException;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.server.TransportServerBootstrap;
import org.apache.spark.util.Utils;
import scala.Tuple2;

/**
 * The ports the peer exchange listens on: each training task's ring server on its executor, and the driver's feed
 * of the rounds' losses. Both are random free ports unless set, as Spark's own are; on a cluster whose firewall
 * opens only known ports, set them as Spark's {@code spark.driver.port} and {@code spark.blockManager.port} are
 * set. A taken port is followed by the next, up to {@code spark.port.maxRetries} times, by Spark's own
 * {@code Utils.startServiceOnPort}, so several tasks on one host each find one.
 */
final class PeerPorts {
    /** The first port a training task's ring server tries; 0: any free port. */
    static final String PORT_KEY = "spark.fashionspark.exchange.port";
    /** The first port the driver's feed of the rounds' losses tries; 0: any free port. */
    static final String DRIVER_PORT_KEY = "spark.fashionspark.exchange.driverPort";

    private PeerPorts() {
    }

    /** The first port {@code key} names: 0, or 1024 to 65535, as Spark takes its own ports. */
    static int first(SparkConf conf, String key) {
        String text = conf.get(key, "0");
        int port;
        try {
            port = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port != 0 && (port < 1024 || port > 65535)) {
            throw new ConfigException(key + " must be 0 (any free port) or a port from 1024 to 65535, got '" + text
                    + "'");
        }
        return port;
    }

    /** Checks both ports' settings, on the driver before anything runs. */
    static void check(SparkConf conf) {
        first(conf, PORT_KEY);
        first(conf, DRIVER_PORT_KEY);
    }

    /**
     * Starts {@code context}'s server on {@code host}, at the port {@code key} names or the next free one after it.
     */
    static TransportServer start(TransportContext context, String host, SparkConf conf, String key,
                                 List<TransportServerBootstrap> bootstraps) {
        Tuple2<TransportServer, Object> started = Utils.startServiceOnPort(first(conf, key), port -> {
            TransportServer server = context.createServer(host, (Integer) port, bootstraps);
            return new Tuple2<>(server, server.getPort());
        }, conf, "fashion-spark exchange (" + key + ")");
        return started._1();
    }
}
