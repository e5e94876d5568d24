package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/k8s/spark-application.yaml} against the Spark operator's own CustomResourceDefinition: the
 * {@code openAPIV3Schema} of its {@code v1beta2} version (src/test/resources/k8s/, the kubeflow/spark-operator
 * repository's {@code sparkoperator.k8s.io_sparkapplications.yaml}), checked by a JSON-schema validator. An object
 * schema with properties takes no others unless it says {@code x-kubernetes-preserve-unknown-fields}, as
 * {@code kubectl apply --validate=strict} would have it: the API server would otherwise drop a misspelled field
 * without a word.
 */
class KubernetesManifestSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static JsonSchema schema;
    private static JsonNode manifest;

    @BeforeAll
    static void load() throws IOException {
        JsonNode crd;
        try (InputStream in = KubernetesManifestSchemaTest.class.getResourceAsStream(
                "/k8s/sparkoperator.k8s.io_sparkapplications.yaml")) {
            crd = YAML.readTree(in);
        }
        JsonNode openApi = null;
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("name").asText().equals("v1beta2")) {
                openApi = version.path("schema").path("openAPIV3Schema");
            }
        }
        assertTrue(openApi != null && openApi.isObject(), "the CRD has a v1beta2 schema");
        JsonNode strict = strict(openApi.deepCopy());
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strict);
        manifest = YAML.readTree(Files.readString(Path.of("deploy/k8s/spark-application.yaml")));
    }

    /** additionalProperties: false wherever an object lists its properties and keeps no unknown fields. */
    private static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                strict(fields.next().getValue());
            }
        } else if (node.isArray()) {
            node.forEach(KubernetesManifestSchemaTest::strict);
        }
        return node;
    }

    private static Set<String> errors(JsonNode document) {
        return schema.validate(document).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    @Test
    void theShippedManifestIsAValidSparkApplication() {
        assertEquals(Set.of(), errors(manifest));
    }

    @Test
    void aMisspelledFieldFails() {
        ObjectNode misspelled = manifest.deepCopy();
        ObjectNode spec = (ObjectNode) misspelled.get("spec");
        spec.set("mainClas", spec.remove("mainClass"));
        Set<String> errors = errors(misspelled);
        assertFalse(errors.isEmpty());
        assertTrue(errors.stream().anyMatch(e -> e.contains("mainClas")), errors.toString());

        ObjectNode nested = manifest.deepCopy();
        ((ObjectNode) nested.get("spec").get("executor")).put("instance", 2);
        assertTrue(errors(nested).stream().anyMatch(e -> e.contains("instance")), errors(nested).toString());
    }

    @Test
    void aWrongTypeFails() {
        ObjectNode wrong = manifest.deepCopy();
        ((ObjectNode) wrong.get("spec").get("executor")).put("instances", "two");
        Set<String> errors = errors(wrong);
        assertTrue(errors.stream().anyMatch(e -> e.contains("instances") && e.contains("integer")), errors.toString());

        ObjectNode badEnum = manifest.deepCopy();
        ((ObjectNode) badEnum.get("spec")).put("mode", "sideways");
        assertFalse(errors(badEnum).isEmpty());
    }
}
