package dev.debimage.core.deb822;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Parses deb822 text (Debian Policy 5.1): Packages indexes, Release files, control files, the dpkg
 * status file and {@code .sources} files.
 *
 * <p>Lines that start with {@code #} are comments and are dropped. A continuation line starts with
 * a space or a tab; a continuation line of a single {@code .} is an empty line of the value. Values
 * are trimmed. Continuation lines lose the one space or tab that marks them and are joined by
 * newlines, so a multi-line field such as {@code SHA256} reads line by line and a {@code
 * Description} keeps its indentation when {@link Stanza#format()} writes it back.
 */
public final class Deb822 {

  private Deb822() {}

  /** Parses every stanza in {@code text}; {@code where} names the source in error messages. */
  public static List<Stanza> parse(String text, String where) {
    List<Stanza> stanzas = new ArrayList<>();
    parse(new StringReader(text), where, stanzas::add);
    return stanzas;
  }

  /**
   * Parses stanzas from a reader and hands each one to {@code sink} as soon as it ends, so a large
   * Packages index is never held as text.
   */
  public static void parse(Reader reader, String where, Consumer<Stanza> sink) {
    BufferedReader lines =
        reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader, 1 << 16);
    Map<String, String> fields = new LinkedHashMap<>();
    String currentName = null;
    StringBuilder currentValue = new StringBuilder();
    int lineNumber = 0;
    try {
      String line;
      while ((line = lines.readLine()) != null) {
        lineNumber++;
        if (line.startsWith("#")) {
          continue;
        }
        if (line.isBlank()) {
          if (currentName != null) {
            fields.put(currentName, finishValue(currentValue));
            currentName = null;
          }
          if (!fields.isEmpty()) {
            sink.accept(new Stanza(fields));
            fields = new LinkedHashMap<>();
          }
          continue;
        }
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
          if (currentName == null) {
            throw new Deb822Exception(
                "invalid continuation line " + lineNumber + " in " + where + ": no field before it");
          }
          String continuation = line.substring(1).stripTrailing();
          currentValue.append('\n').append(continuation.strip().equals(".") ? "" : continuation);
          continue;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new Deb822Exception(
              "invalid line " + lineNumber + " in " + where + ": expected 'Field: value', found '"
                  + abbreviate(line) + "'");
        }
        if (currentName != null) {
          fields.put(currentName, finishValue(currentValue));
        }
        currentName = line.substring(0, colon).strip();
        currentValue.setLength(0);
        currentValue.append(line.substring(colon + 1).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read " + where, e);
    }
    if (currentName != null) {
      fields.put(currentName, finishValue(currentValue));
    }
    if (!fields.isEmpty()) {
      sink.accept(new Stanza(fields));
    }
  }

  /**
   * Trims a value but keeps a leading newline, because an empty first line is meaningful in
   * multi-line fields such as {@code Conffiles} and {@code SHA256}.
   */
  private static String finishValue(StringBuilder value) {
    String text = value.toString().stripTrailing();
    int start = 0;
    while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
      start++;
    }
    return text.substring(start);
  }

  private static String abbreviate(String line) {
    return line.length() > 80 ? line.substring(0, 77) + "..." : line;
  }
}
