package dev.debimage.core.deb822;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One stanza (paragraph) of a deb822 control file: fields in their original order, looked up
 * without regard to case, as Debian Policy 5.1 specifies for field names.
 */
public final class Stanza {

  private final Map<String, String> valuesByLowerName;
  private final List<String> names;
  private final Map<String, String> values;

  /** Creates a stanza from fields in order; names keep their spelling, values their lines. */
  public Stanza(Map<String, String> fields) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    this.names = List.copyOf(fields.keySet());
    Map<String, String> lower = new LinkedHashMap<>();
    fields.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    this.valuesByLowerName = Collections.unmodifiableMap(lower);
  }

  /**
   * Returns the value of a field. A multi-line value has its lines joined by newlines and starts
   * with a newline when its first line is empty, as in {@code SHA256} or {@code Conffiles}.
   */
  public Optional<String> get(String name) {
    return Optional.ofNullable(valuesByLowerName.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Returns the value of a field, or {@code fallback} when the stanza lacks it. */
  public String get(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  /** Returns the value of a field that must be present; {@code where} names the stanza's source. */
  public String require(String name, String where) {
    return get(name)
        .orElseThrow(() -> new Deb822Exception("missing field " + name + " in " + where));
  }

  /** Returns the value split on whitespace, for fields such as {@code Suites} or {@code Architectures}. */
  public List<String> words(String name) {
    String value = get(name, "").strip();
    if (value.isEmpty()) {
      return List.of();
    }
    return List.of(value.split("\\s+"));
  }

  public boolean has(String name) {
    return valuesByLowerName.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** Field names in their original order and spelling. */
  public List<String> names() {
    return names;
  }

  /** Fields in their original order. */
  public Map<String, String> fields() {
    return values;
  }

  /** Returns a copy with {@code name} set to {@code value}, replacing an existing field in place. */
  public Stanza with(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>();
    boolean replaced = false;
    for (Map.Entry<String, String> field : values.entrySet()) {
      if (field.getKey().equalsIgnoreCase(name)) {
        copy.put(field.getKey(), value);
        replaced = true;
      } else {
        copy.put(field.getKey(), field.getValue());
      }
    }
    if (!replaced) {
      copy.put(name, value);
    }
    return new Stanza(copy);
  }

  /** Returns a copy without the named fields. */
  public Stanza without(String... namesToDrop) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    List<String> drop = new ArrayList<>();
    for (String key : copy.keySet()) {
      for (String name : namesToDrop) {
        if (key.equalsIgnoreCase(name)) {
          drop.add(key);
        }
      }
    }
    drop.forEach(copy::remove);
    return new Stanza(copy);
  }

  /**
   * Formats the stanza as deb822 text ending with a newline: multi-line values continue on lines
   * that start with a space, and empty lines inside a value become {@code " ."}.
   */
  public String format() {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> field : values.entrySet()) {
      text.append(field.getKey()).append(':');
      String[] lines = field.getValue().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        if (i == 0) {
          if (!line.isEmpty()) {
            text.append(' ').append(line);
          }
        } else {
          text.append('\n').append(' ').append(line.isEmpty() ? "." : line);
        }
      }
      text.append('\n');
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
