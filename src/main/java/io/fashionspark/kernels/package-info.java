/**
 * This project's replacements of DL4J CPU kernels, and the patches that put them in place. The networks in
 * {@code io.fashionspark.model} use them through four configuration classes; everything else here is internal.
 *
 * <ul>
 *   <li>{@link io.fashionspark.kernels.NarrowInputConvolutionLayer}: a convolution on one input channel trains its
 *       backward pass with im2col and two BLAS products instead of oneDNN's slow {@code conv2d_bp}.</li>
 *   <li>{@link io.fashionspark.kernels.ChannelsLastBatchNormalization}: batch norm over channels-last activations
 *       with column sums on BLAS instead of DL4J's strided reductions.</li>
 *   <li>{@link io.fashionspark.kernels.LinearDenseLayer}: a dense layer with the identity activation whose backward
 *       pass skips DL4J's second forward product.</li>
 *   <li>{@link io.fashionspark.kernels.InPlaceRelu}: ReLU whose gradient is computed in place.</li>
 * </ul>
 *
 * <h2>DL4J 1.0.0-M2.1 internals this package depends on</h2>
 * A DL4J upgrade must re-check each of these; the tests of this package compare every kernel's gradients with
 * DL4J's own, so a change that breaks one fails there.
 * <ul>
 *   <li>The private {@code helper} field of {@code org.deeplearning4j.nn.layers.convolution.ConvolutionLayer} and
 *       of {@code org.deeplearning4j.nn.layers.normalization.BatchNormalization}, set by reflection
 *       ({@code HelperSlot}) right after DL4J builds the layer. Where the field is missing, DL4J's kernels stay,
 *       with a warning.</li>
 *   <li>DL4J's helper interfaces {@code ConvolutionHelper} and {@code BatchNormalizationHelper}, which the
 *       replacements implement, and which DL4J calls for the backward pass.</li>
 *   <li>Every non-static field of {@code org.deeplearning4j.nn.conf.layers.DenseLayer} and its superclasses, copied
 *       by reflection into {@link io.fashionspark.kernels.LinearDenseLayer} so that it is DL4J's layer
 *       configuration in all but its class; and {@code org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer}'s
 *       protected state ({@code input}, {@code maskArray}, {@code layerConf()}, {@code getParamWithNoise}) read by
 *       its backward pass.</li>
 *   <li>{@code org.nd4j.nativeblas.Nd4jCpu} (in this project's sources, outside this package): DL4J M2.1's oneDNN
 *       check asks that class, which nd4j-native M2.1 no longer ships, whether oneDNN is on; without the bridge
 *       every convolution, pooling and batch-norm layer falls back to DL4J's slow Java path.</li>
 *   <li>The class names DL4J writes into a saved model's {@code configuration.json}: models saved when these
 *       classes lived in {@code io.fashionspark.model} still load ({@link io.fashionspark.kernels.SavedClassNames}).
 *       </li>
 * </ul>
 */
package io.fashionspark.kernels;
