package dev.debimage.core.deb822;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Collects the fields of one stanza at a time for {@link Deb822}, sharing the String instances of
 * field names and of values that repeat across a Packages index, such as {@code Architecture},
 * {@code Section} or {@code Maintainer}, so 66,000 stanzas do not hold 66,000 copies of each.
 */
final class StanzaBuilder {

  /** Fields whose values repeat across many stanzas; other values are mostly unique. */
  private static final Set<String> REPEATED_VALUE_FIELDS =
      Set.of(
          "architecture", "section", "priority", "maintainer", "original-maintainer", "multi-arch",
          "source", "origin", "bugs", "essential", "protected", "build-essential", "important",
          "homepage", "installed-size", "version");

  /** Stops sharing values once this many distinct ones are held, to bound the memory used. */
  static final int MAX_SHARED_VALUES = 200_000;

  private final Map<String, String> sharedNames = new HashMap<>();
  private final Map<String, Boolean> repeatedByName = new HashMap<>();
  private final Map<String, String> sharedValues = new HashMap<>();
  private String[] names = new String[24];
  private String[] values = new String[24];
  private int size;

  /** Returns the field name of a {@code Name: value} line, shared with earlier stanzas. */
  String name(String line, int colon) {
    // Looking up by the substring costs one short-lived String per line, but keeps one per name.
    String name = fieldName(line, colon);
    String shared = sharedNames.putIfAbsent(name, name);
    return shared == null ? name : shared;
  }

  /** Returns the field name of a {@code Name: value} line: the text before the colon, trimmed. */
  static String fieldName(String line, int colon) {
    int end = colon;
    while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
      end--;
    }
    int start = 0;
    while (start < end && Character.isWhitespace(line.charAt(start))) {
      start++;
    }
    return line.substring(start, end);
  }

  /** Returns whether values of the field {@code name} repeat across stanzas and are worth sharing. */
  static boolean hasRepeatedValues(String name) {
    return REPEATED_VALUE_FIELDS.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Adds a field; a name that is already present, in any case, gets the new value in place. */
  void add(String name, String value) {
    for (int i = 0; i < size; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        values[i] = share(name, value);
        return;
      }
    }
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    names[size] = name;
    values[size] = share(name, value);
    size++;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Returns the stanza collected so far and starts the next one. */
  Stanza build() {
    Stanza stanza = new Stanza(Arrays.copyOf(names, size), Arrays.copyOf(values, size));
    Arrays.fill(names, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
    return stanza;
  }

  private String share(String name, String value) {
    boolean repeated = repeatedByName.computeIfAbsent(name, StanzaBuilder::hasRepeatedValues);
    if (!repeated) {
      return value;
    }
    String shared = sharedValues.get(value);
    if (shared != null) {
      return shared;
    }
    if (sharedValues.size() < MAX_SHARED_VALUES) {
      sharedValues.put(value, value);
    }
    return value;
  }
}
