package dev.debimage.core.deb822;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * One stanza (paragraph) of a deb822 control file: fields in their original order, looked up
 * without regard to case, as Debian Policy 5.1 specifies for field names.
 *
 * <p>The fields are kept as two parallel arrays and looked up by a linear scan: a Packages stanza
 * has about 20 fields, so the scan costs less than hashing, and a Packages index of 66,000
 * stanzas takes about half the memory that two maps per stanza took.
 */
public final class Stanza {

  private final String[] names;
  private final String[] values;

  /** Creates a stanza from fields in order; names keep their spelling, values their lines. */
  public Stanza(Map<String, String> fields) {
    this.names = new String[fields.size()];
    this.values = new String[fields.size()];
    int i = 0;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      names[i] = field.getKey();
      values[i] = field.getValue();
      i++;
    }
  }

  /**
   * Creates a stanza that owns the given arrays, which the caller must not change afterwards.
   * Field names must differ without regard to case.
   */
  Stanza(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  private int indexOf(String name) {
    // Names from the byte-level parser are interned, so a constant name is often the same instance.
    for (int i = 0; i < names.length; i++) {
      if (names[i] == name) {
        return i;
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the value of a field. A multi-line value has its lines joined by newlines and starts
   * with a newline when its first line is empty, as in {@code SHA256} or {@code Conffiles}.
   */
  public Optional<String> get(String name) {
    int index = indexOf(name);
    return index < 0 ? Optional.empty() : Optional.of(values[index]);
  }

  /** Returns the value of a field, or {@code fallback} when the stanza lacks it. */
  public String get(String name, String fallback) {
    int index = indexOf(name);
    return index < 0 ? fallback : values[index];
  }

  /** Returns the value of a field that must be present; {@code where} names the stanza's source. */
  public String require(String name, String where) {
    int index = indexOf(name);
    if (index < 0) {
      throw new Deb822Exception("missing field " + name + " in " + where);
    }
    return values[index];
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
    return indexOf(name) >= 0;
  }

  /** Field names in their original order and spelling. */
  public List<String> names() {
    return List.of(names);
  }

  /** Fields in their original order, as an unmodifiable view. */
  public Map<String, String> fields() {
    return new FieldMap();
  }

  /** Returns a copy with {@code name} set to {@code value}, replacing an existing field in place. */
  public Stanza with(String name, String value) {
    int index = indexOf(name);
    if (index >= 0) {
      String[] newValues = values.clone();
      newValues[index] = value;
      return new Stanza(names, newValues);
    }
    String[] newNames = Arrays.copyOf(names, names.length + 1);
    String[] newValues = Arrays.copyOf(values, values.length + 1);
    newNames[names.length] = name;
    newValues[values.length] = value;
    return new Stanza(newNames, newValues);
  }

  /** Returns a copy without the named fields. */
  public Stanza without(String... namesToDrop) {
    Map<String, String> copy = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      boolean drop = false;
      for (String name : namesToDrop) {
        drop |= names[i].equalsIgnoreCase(name);
      }
      if (!drop) {
        copy.put(names[i], values[i]);
      }
    }
    return new Stanza(copy);
  }

  /**
   * Formats the stanza as deb822 text ending with a newline: multi-line values continue on lines
   * that start with a space, and empty lines inside a value become {@code " ."}.
   */
  public String format() {
    StringBuilder text = new StringBuilder();
    for (int field = 0; field < names.length; field++) {
      text.append(names[field]).append(':');
      String[] lines = values[field].split("\n", -1);
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

  /** The fields as an ordered map whose lookups match names exactly, as a LinkedHashMap's do. */
  private final class FieldMap extends AbstractMap<String, String> {
    @Override
    public Set<Entry<String, String>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, String>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < names.length;
            }

            @Override
            public Entry<String, String> next() {
              if (next >= names.length) {
                throw new NoSuchElementException();
              }
              Entry<String, String> entry = new SimpleImmutableEntry<>(names[next], values[next]);
              next++;
              return entry;
            }
          };
        }

        @Override
        public int size() {
          return names.length;
        }
      };
    }

    @Override
    public String get(Object key) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(key)) {
          return values[i];
        }
      }
      return null;
    }

    @Override
    public boolean containsKey(Object key) {
      for (String name : names) {
        if (name.equals(key)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int size() {
      return names.length;
    }
  }
}
