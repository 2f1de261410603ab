package dev.debimage.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CompactJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static void assertSameAsObjectMapper(Object value) throws Exception {
    assertArrayEquals(MAPPER.writeValueAsBytes(value), CompactJson.toBytes(value), String.valueOf(value));
  }

  @Test
  void nestedValuesMatchObjectMapper() throws Exception {
    Map<String, Object> labels = new TreeMap<>();
    labels.put("org.opencontainers.image.title", "hello \"world\"");
    labels.put("z", "tab\there, newline\nthere, control \u0001, slash / and backslash \\");
    labels.put("unicode", "caf\u00e9 \u2603 \ud83d\ude00");
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schemaVersion", 2);
    root.put("size", 93_571_072L);
    root.put("huge", BigInteger.TWO.pow(70));
    root.put("decimal", new BigDecimal("1.50"));
    root.put("short", (short) 7);
    root.put("flag", true);
    root.put("off", false);
    root.put("missing", null);
    root.put("empty object", Map.of());
    root.put("empty list", List.of());
    root.put("labels", labels);
    root.put("set", new TreeSet<>(List.of("b", "a")));
    root.put("list", new ArrayList<>(Arrays.asList("x", null, 3, List.of(Map.of("k", "v")))));
    root.put("created", Instant.parse("2025-01-01T00:00:00Z").toString());

    assertSameAsObjectMapper(root);
    assertSameAsObjectMapper(List.of(root, root));
    assertSameAsObjectMapper("just a string \u007f");
  }

  @Test
  void otherTypesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> CompactJson.toBytes(Map.of("at", Instant.EPOCH)));
    assertThrows(IllegalArgumentException.class, () -> CompactJson.toBytes(List.of(1.5)));
  }
}
