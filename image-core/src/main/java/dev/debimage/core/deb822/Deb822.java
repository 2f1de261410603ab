package dev.debimage.core.deb822;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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
    StanzaBuilder stanza = new StanzaBuilder();
    String currentName = null;
    // A value stays a String until a continuation line arrives, so single-line fields, most of a
    // Packages index, are not copied through a StringBuilder.
    String firstLine = null;
    StringBuilder multiLine = null;
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
            stanza.add(currentName, finishValue(firstLine, multiLine));
            currentName = null;
          }
          if (!stanza.isEmpty()) {
            sink.accept(stanza.build());
          }
          continue;
        }
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
          if (currentName == null) {
            throw new Deb822Exception(
                "invalid continuation line " + lineNumber + " in " + where + ": no field before it");
          }
          if (multiLine == null) {
            multiLine = new StringBuilder(firstLine.length() + 2 * line.length()).append(firstLine);
          }
          String continuation = line.substring(1).stripTrailing();
          multiLine.append('\n').append(continuation.strip().equals(".") ? "" : continuation);
          continue;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new Deb822Exception(
              "invalid line " + lineNumber + " in " + where + ": expected 'Field: value', found '"
                  + abbreviate(line) + "'");
        }
        if (currentName != null) {
          stanza.add(currentName, finishValue(firstLine, multiLine));
        }
        currentName = stanza.name(line, colon);
        firstLine = line.substring(colon + 1).strip();
        multiLine = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read " + where, e);
    }
    if (currentName != null) {
      stanza.add(currentName, finishValue(firstLine, multiLine));
    }
    if (!stanza.isEmpty()) {
      sink.accept(stanza.build());
    }
  }

  /**
   * Parses stanzas from UTF-8 bytes, the buffer's position to its limit, and hands each one to
   * {@code sink} as soon as it ends. Returns the same stanzas and throws the same errors as {@link
   * #parse(Reader, String, Consumer)} on a reader that decodes those bytes, but takes less time on
   * a large Packages index, because it decodes only the values and not every line. The buffer's
   * position is left unchanged.
   */
  public static void parse(ByteBuffer utf8, String where, Consumer<Stanza> sink) {
    new ByteStanzaParser(where, sink).parse(utf8);
  }

  private static String finishValue(String firstLine, StringBuilder multiLine) {
    return multiLine == null ? firstLine : finishValue(multiLine);
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

  static String abbreviate(String line) {
    return line.length() > 80 ? line.substring(0, 77) + "..." : line;
  }
}
