/**
 * Using trained models: loading and checking a saved {@code model.zip} (for {@code evaluate} and {@code predict}),
 * reading pictures and idx files, and converting pictures into FashionMNIST's 28x28 white-on-black form.
 * Runs in the driver JVM; no Spark.
 */
package io.fashionspark.predict;
