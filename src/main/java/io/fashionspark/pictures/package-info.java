/**
 * Pictures and idx image files as the networks' inputs: telling a file's kind from its first bytes, decoding every
 * picture form through one ImageIO decoder, and converting a picture into FashionMNIST's 28x28 white-on-black form.
 * For {@code predict} on the driver, its tasks on the executors and the Spark ML model alike; no Spark.
 */
package io.fashionspark.pictures;
