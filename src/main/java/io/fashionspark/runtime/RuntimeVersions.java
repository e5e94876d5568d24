package io.fashionspark.runtime;

import java.lang.reflect.Field;

/**
 * The Spark and Scala this process actually runs on (the cluster's, under spark-submit), read before any Spark
 * class of ours is linked, and the check that they are ones this build can run on. A Scala 2.12 build on a
 * Scala 2.13 Spark fails later with obscure linkage errors; this turns that into one sentence up front.
 */
public record RuntimeVersions(String spark, String scala, String java) {

    public static RuntimeVersions detect() {
        return new RuntimeVersions(sparkVersion(), scalaVersion(), System.getProperty("java.version"));
    }

    /** Fails with one sentence unless Spark is 3.x built for the Scala binary version this jar was built for. */
    public void requireCompatible() {
        String builtSpark = BuildInfo.get("spark.version");
        String builtScala = BuildInfo.get("scala.binary.version");
        boolean sparkOk = spark.startsWith(major(builtSpark) + ".");
        boolean scalaOk = scala.equals(builtScala) || scala.startsWith(builtScala + ".");
        if (!sparkOk || !scalaOk) {
            throw new IncompatibleRuntimeException("this build needs Spark " + major(builtSpark) + ".x on Scala "
                    + builtScala + " (built against Spark " + builtSpark + "), but runs on Spark " + spark
                    + " with Scala " + scala + "; submit it to a Spark " + major(builtSpark) + " cluster built for Scala "
                    + builtScala + " (e.g. spark-" + builtSpark + "-bin-hadoop3)");
        }
    }

    /** Spark minor versions other than the one built against run, but untested: worth a line in the log. */
    public boolean isTestedSpark() {
        String built = BuildInfo.get("spark.version");
        return spark.startsWith(built.substring(0, built.lastIndexOf('.')) + ".");
    }

    private static String major(String version) {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    private static String sparkVersion() {
        try {
            // org.apache.spark.package$.MODULE$.SPARK_VERSION(): present in every Spark 2-4, linked by name only.
            Class<?> pkg = Class.forName("org.apache.spark.package$");
            Field module = pkg.getField("MODULE$");
            return (String) pkg.getMethod("SPARK_VERSION").invoke(module.get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IncompatibleRuntimeException("Spark is not on the classpath (" + e
                    + "); run with spark-submit, or with bin/fashion-spark after `mvn package`");
        }
    }

    private static String scalaVersion() {
        try {
            return (String) Class.forName("scala.util.Properties").getMethod("versionNumberString").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IncompatibleRuntimeException("the Scala library is not on the classpath (" + e + ")");
        }
    }
}
