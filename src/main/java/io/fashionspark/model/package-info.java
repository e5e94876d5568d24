/**
 * The network architectures (FashionDNN, FashionCNN, LeNet-5, specified in {@code docs/models.md}) and their
 * summaries. No Spark here; the replaced DL4J kernels some layers use live in {@code io.fashionspark.kernels}.
 */
package io.fashionspark.model;
