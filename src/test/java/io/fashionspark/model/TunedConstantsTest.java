package io.fashionspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** conf/recipes.properties names each model's tuned constants, and nothing else: a misspelt key is not ignored. */
class TunedConstantsTest {
    @Test
    void everyModelHasItsConstantsAndTheFileNothingElse() throws Exception {
        Properties conf = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("conf/recipes.properties"))) {
            conf.load(in);
        }
        Set<String> expected = new TreeSet<>();
        for (ModelKind m : ModelKind.values()) {
            expected.add(m.cliName() + ".adam-beta2");
            expected.add(m.cliName() + ".sync-workers");
            double beta2 = m.tunedAdamBeta2();
            assertTrue(beta2 > 0 && beta2 < 1, m + ": " + beta2);
            assertTrue(m.tunedSyncWorkers() >= 0, m + ": " + m.tunedSyncWorkers());
            // What the jar carries is the file in conf/.
            assertEquals(Double.parseDouble(conf.getProperty(m.cliName() + ".adam-beta2")), beta2);
            assertEquals(Integer.parseInt(conf.getProperty(m.cliName() + ".sync-workers")), m.tunedSyncWorkers());
        }
        assertEquals(expected, new TreeSet<>(conf.stringPropertyNames()));
    }
}
