package dev.debimage.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates documents against the official SPDX 2.3 and CycloneDX 1.5 JSON schemas, vendored under
 * {@code src/test/resources/dev/debimage/core/report/schemas/}. {@code spdx-schema-v2.3.json} is
 * the SPDX 2.3 schema that SPDX's own tools ship, copied from the org.spdx:tools-java 1.1.8 jar on
 * Maven Central. The CycloneDX schemas come from the cyclonedx-core-java 10.2.1 jar.
 */
final class SchemaValidator {

  private static final String SCHEMAS = "classpath:dev/debimage/core/report/schemas/";

  // bom-1.5.schema.json refers to spdx.schema.json and jsf-0.82.schema.json by URLs below this prefix.
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
      SpecVersion.VersionFlag.V7,
      builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("http://cyclonedx.org/schema/", SCHEMAS)));

  static final JsonSchema SPDX_2_3 = FACTORY.getSchema(SchemaLocation.of(SCHEMAS + "spdx-schema-v2.3.json"));
  static final JsonSchema CYCLONEDX_1_5 = FACTORY.getSchema(SchemaLocation.of(SCHEMAS + "bom-1.5.schema.json"));

  private SchemaValidator() {}

  /** Returns the schema violations of {@code document}, one message each, sorted. */
  static List<String> violations(JsonSchema schema, JsonNode document) {
    Set<ValidationMessage> messages = schema.validate(document);
    return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
  }
}
