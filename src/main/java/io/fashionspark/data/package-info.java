/** FashionMNIST idx files: validated reading (local or Hadoop URIs) and compact minibatches. */
package io.fashionspark.data;
