package io.fashionspark.runtime;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Creates the Spark context. Under spark-submit the master and settings come from the submitter and
 * {@code spark-defaults.conf}; the code never overrides them. Run directly ({@code java -jar}), no master is set,
 * so an embedded {@code local[workers]} one is used.
 */
public final class SparkContexts {
    private SparkContexts() {
    }

    /** True when no master is set (run directly, not by spark-submit): {@link #create} starts an embedded one. */
    public static boolean embedded() {
        return !new SparkConf(true).contains("spark.master");
    }

    public static JavaSparkContext create(String appName, int workers) {
        return new JavaSparkContext(conf(appName, workers));
    }

    /**
     * As {@link #create(String, int)}, with settings of this context only over the submitter's: one driver that
     * starts several applications in turn (the round cost's worker counts, each with {@code spark.cores.max}).
     */
    public static JavaSparkContext create(String appName, int workers, Map<String, String> settings) {
        SparkConf conf = conf(appName, workers);
        settings.forEach(conf::set);
        return new JavaSparkContext(conf);
    }

    /** A Spark session (for DataFrames) on the context {@link #create} would make. */
    public static SparkSession session(String appName, int workers) {
        return SparkSession.builder().config(conf(appName, workers)).getOrCreate();
    }

    private static SparkConf conf(String appName, int workers) {
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + workers + "]");
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            // The executors share the driver's JVM and read broadcasts from its memory: compressing each round's
            // broadcast parameters would be work nobody unpacks (floats barely compress anyway).
            conf.setIfMissing("spark.broadcast.compress", "false");
            // A replica's parameters and Adam state (2.8 MB for the DNN, 18 MB for the CNN) come back in the task's
            // status message instead of a second fetch from the block manager (default cut-off 1 MB).
            conf.setIfMissing("spark.task.maxDirectResultSize", "64m");
            // The workers are threads of this JVM: share its cores among them (see NativeThreads).
            NativeThreads.useBlasThreads(NativeThreads.perWorker(workers));
        }
        // ND4J arrays serialise far faster with Kryo and ND4J's registrations, copied in one block by fashion-spark's
        // registrator (also set in conf/spark-defaults.conf).
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", FastNd4jRegistrator.class.getName());
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        return conf;
    }

    /**
     * The Hadoop configuration a Spark context would have (Hadoop's own files plus the {@code spark.hadoop.*}
     * settings), without starting one: for reading a model or pictures on the driver alone.
     */
    public static Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> kv : new SparkConf(true).getAllWithPrefix("spark.hadoop.")) {
            conf.set(kv._1(), kv._2());
        }
        return conf;
    }
}
