/** File systems (local and Hadoop URIs), the run directory with atomic writes, summary.json, build info. */
package io.fashionspark.io;
