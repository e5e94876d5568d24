/** The network architectures (FashionDNN, FashionCNN, LeNet-5) and their summaries; no Spark here. */
package io.fashionspark.model;
