package dev.debimage.core.deb822;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Parses deb822 text from UTF-8 bytes into the same stanzas as {@link Deb822#parse(java.io.Reader,
 * String, Consumer)} returns for that text, with the same errors, but without a String per line.
 *
 * <p>A line is handled on its bytes: its field name is found in a table of names seen before, and
 * a value of a field whose values repeat is found in a table of values seen before, so neither is
 * decoded again. Other values are decoded as UTF-8, invalid sequences replaced as a Reader
 * replaces them. A line that contains whitespace above U+007F, such as U+3000, is decoded first
 * and handled as the Reader-based parser handles it, because that parser trims such whitespace.
 *
 * <p>Lines end at LF, CR or CR LF, as {@link java.io.BufferedReader#readLine()} ends them.
 */
final class ByteStanzaParser {

  private static final int WINDOW_BYTES = 1 << 16;

  private final String where;
  private final Consumer<Stanza> sink;
  private final ByteKeyTable<FieldName> fieldNames = new ByteKeyTable<>();
  private final List<FieldName> distinctNames = new ArrayList<>();
  private final ByteKeyTable<String> sharedValues = new ByteKeyTable<>();

  /** Bytes read from the input; {@code window[lineStart, windowEnd)} are not parsed yet. */
  private byte[] window;
  private int windowEnd;
  private boolean inputEnded;
  private boolean lineIsAscii;
  private int lineNumber;

  /** The field whose value is being read, or null between fields. */
  private FieldName field;
  /** The UTF-8 bytes of that value so far: its first line, then a newline and each continuation line. */
  private byte[] value = new byte[256];
  private int valueLength;
  private boolean valueIsAscii;
  private boolean valueIsMultiLine;

  /** The fields of the current stanza, in order. Their names differ without regard to case. */
  private String[] names = new String[24];
  private String[] values = new String[24];
  private int size;
  /** Numbers the stanzas, so that a field name can tell whether the current one has it. */
  private int stanzaNumber = 1;

  /** A field name as stanzas store it, whether its values are shared, and its index in the current stanza. */
  private static final class FieldName {
    private final String name;
    private final boolean repeatedValues;
    /** Whether another spelling of this name, in another case, has been seen. */
    private boolean hasOtherSpelling;
    /** The stanza that last got this field, and the field's index in it. */
    private int stanzaNumber;
    private int index;

    FieldName(String name) {
      this.name = name;
      this.repeatedValues = StanzaBuilder.hasRepeatedValues(name);
    }
  }

  ByteStanzaParser(String where, Consumer<Stanza> sink) {
    this(where, sink, WINDOW_BYTES);
  }

  /** Creates a parser that reads {@code windowBytes} at a time, so tests can split lines across reads. */
  ByteStanzaParser(String where, Consumer<Stanza> sink, int windowBytes) {
    this.where = where;
    this.sink = sink;
    this.window = new byte[windowBytes];
  }

  /** Parses the remaining bytes of {@code input}, handing each stanza to the sink as it ends. */
  void parse(ByteBuffer input) {
    ByteBuffer source = input.duplicate();
    int lineStart = 0;
    fill(source);
    while (true) {
      int lineEnd = endOfLine(lineStart, windowEnd);
      boolean needsMore = lineEnd == windowEnd || (window[lineEnd] == '\r' && lineEnd + 1 == windowEnd);
      if (needsMore && !inputEnded) {
        lineStart = compact(lineStart);
        fill(source);
        continue;
      }
      if (lineEnd == windowEnd) {
        if (lineStart < lineEnd) {
          line(lineStart, lineEnd);
        }
        break;
      }
      line(lineStart, lineEnd);
      lineStart = lineEnd + 1;
      if (window[lineEnd] == '\r' && lineStart < windowEnd && window[lineStart] == '\n') {
        lineStart++;
      }
    }
    endStanza();
  }

  /** Returns the index of the first CR or LF in {@code window[from, to)}, or {@code to}. */
  private int endOfLine(int from, int to) {
    byte[] bytes = window;
    boolean ascii = true;
    int i = from;
    for (; i < to; i++) {
      byte b = bytes[i];
      // One comparison lets most bytes through: CR, LF and every byte above 0x7f are below 14.
      if (b < 14) {
        if (b == '\n' || b == '\r') {
          break;
        }
        if (b < 0) {
          ascii = false;
        }
      }
    }
    lineIsAscii = ascii;
    return i;
  }

  /** Moves the unparsed bytes to the start of the window, growing it when they fill it. */
  private int compact(int lineStart) {
    int remaining = windowEnd - lineStart;
    byte[] target = remaining == window.length ? new byte[window.length * 2] : window;
    System.arraycopy(window, lineStart, target, 0, remaining);
    window = target;
    windowEnd = remaining;
    return 0;
  }

  private void fill(ByteBuffer source) {
    int count = Math.min(window.length - windowEnd, source.remaining());
    source.get(window, windowEnd, count);
    windowEnd += count;
    inputEnded = !source.hasRemaining();
  }

  private void line(int start, int end) {
    lineNumber++;
    if (!lineIsAscii && hasUnicodeWhitespace(start, end)) {
      textLine(new String(window, start, end - start, StandardCharsets.UTF_8));
      return;
    }
    if (start < end && window[start] == '#') {
      return;
    }
    if (isBlank(start, end)) {
      endStanza();
      return;
    }
    byte first = window[start];
    if (first == ' ' || first == '\t') {
      continuation(start + 1, end);
      return;
    }
    int colon = indexOfColon(start, end);
    if (colon <= start) {
      throw invalidLine(new String(window, start, end - start, StandardCharsets.UTF_8));
    }
    startField(fieldName(start, colon));
    int valueEnd = trimEnd(colon + 1, end);
    setValue(window, trimStart(colon + 1, valueEnd), valueEnd);
    valueIsAscii = lineIsAscii;
  }

  private void continuation(int start, int end) {
    if (field == null) {
      throw noFieldBefore();
    }
    end = trimEnd(start, end);
    int dotStart = trimStart(start, end);
    boolean emptyLine = end - dotStart == 1 && window[dotStart] == '.';
    appendLine(window, start, emptyLine ? start : end, lineIsAscii);
  }

  /** Handles a line that is not ASCII on its String, as the Reader-based parser does. */
  private void textLine(String line) {
    if (line.startsWith("#")) {
      return;
    }
    if (line.isBlank()) {
      endStanza();
      return;
    }
    char first = line.charAt(0);
    if (first == ' ' || first == '\t') {
      if (field == null) {
        throw noFieldBefore();
      }
      String continuation = line.substring(1).stripTrailing();
      byte[] bytes = (continuation.strip().equals(".") ? "" : continuation).getBytes(StandardCharsets.UTF_8);
      appendLine(bytes, 0, bytes.length, false);
      return;
    }
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw invalidLine(line);
    }
    byte[] name = StanzaBuilder.fieldName(line, colon).getBytes(StandardCharsets.UTF_8);
    startField(fieldName(name, 0, name.length));
    byte[] firstLine = line.substring(colon + 1).strip().getBytes(StandardCharsets.UTF_8);
    setValue(firstLine, 0, firstLine.length);
    valueIsAscii = false;
  }

  private void startField(FieldName name) {
    if (field != null) {
      finishField();
    }
    field = name;
  }

  private FieldName fieldName(int start, int colon) {
    int end = trimEnd(start, colon);
    return fieldName(window, trimStart(start, end), end - trimStart(start, end));
  }

  private FieldName fieldName(byte[] bytes, int offset, int length) {
    FieldName name = fieldNames.get(bytes, offset, length);
    if (name == null) {
      // Interned, so that a lookup by a constant such as "Package" matches at its first comparison.
      name = new FieldName(new String(bytes, offset, length, StandardCharsets.UTF_8).intern());
      for (FieldName other : distinctNames) {
        if (other.name.equalsIgnoreCase(name.name)) {
          other.hasOtherSpelling = true;
          name.hasOtherSpelling = true;
        }
      }
      distinctNames.add(name);
      fieldNames.put(bytes, offset, length, name);
    }
    return name;
  }

  private void setValue(byte[] bytes, int start, int end) {
    valueLength = 0;
    valueIsAscii = true;
    valueIsMultiLine = false;
    append(bytes, start, end);
  }

  private void appendLine(byte[] bytes, int start, int end, boolean ascii) {
    valueIsMultiLine = true;
    valueIsAscii &= ascii;
    ensureValueCapacity(1);
    value[valueLength++] = '\n';
    append(bytes, start, end);
  }

  private void append(byte[] bytes, int start, int end) {
    ensureValueCapacity(end - start);
    System.arraycopy(bytes, start, value, valueLength, end - start);
    valueLength += end - start;
  }

  private void ensureValueCapacity(int extra) {
    if (valueLength + extra > value.length) {
      value = Arrays.copyOf(value, Math.max(value.length * 2, valueLength + extra));
    }
  }

  /**
   * Adds the current field to the stanza. A multi-line value loses trailing whitespace and leading
   * spaces and tabs, as the Reader-based parser trims it. Each of its lines is trimmed already, so
   * only ASCII whitespace can remain at its ends.
   */
  private void finishField() {
    int start = 0;
    int end = valueLength;
    if (valueIsMultiLine) {
      while (end > 0 && isWhitespace(value[end - 1])) {
        end--;
      }
      while (start < end && (value[start] == ' ' || value[start] == '\t')) {
        start++;
      }
    }
    add(field, valueString(start, end));
    field = null;
  }

  /**
   * Adds a field to the stanza; a name that is already present, in any case, gets the new value in
   * place, as {@link StanzaBuilder#add} does. The stanza's names are compared only for a name that
   * has been seen in another spelling. Otherwise the name's own record stores where it is.
   */
  private void add(FieldName name, String value) {
    if (name.stanzaNumber == stanzaNumber) {
      values[name.index] = value;
      return;
    }
    if (name.hasOtherSpelling) {
      for (int i = 0; i < size; i++) {
        if (names[i].equalsIgnoreCase(name.name)) {
          values[i] = value;
          return;
        }
      }
    }
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    name.stanzaNumber = stanzaNumber;
    name.index = size;
    names[size] = name.name;
    values[size] = value;
    size++;
  }

  private String valueString(int start, int end) {
    if (!field.repeatedValues) {
      return decode(start, end);
    }
    String shared = sharedValues.get(value, start, end - start);
    if (shared != null) {
      return shared;
    }
    String text = decode(start, end);
    if (sharedValues.size() < StanzaBuilder.MAX_SHARED_VALUES) {
      sharedValues.put(value, start, end - start, text);
    }
    return text;
  }

  // The deprecated constructor copies ASCII bytes as they are. Unlike the one that takes a
  // Charset, it is small, so the JIT compiler compiles it quickly in a fresh JVM.
  @SuppressWarnings("deprecation")
  private String decode(int start, int end) {
    if (valueIsAscii) {
      return new String(value, 0, start, end - start);
    }
    return new String(value, start, end - start, StandardCharsets.UTF_8);
  }

  private void endStanza() {
    if (field != null) {
      finishField();
    }
    if (size > 0) {
      sink.accept(new Stanza(Arrays.copyOf(names, size), Arrays.copyOf(values, size)));
      size = 0;
      stanzaNumber++;
    }
  }

  private boolean isBlank(int start, int end) {
    for (int i = start; i < end; i++) {
      if (!isWhitespace(window[i])) {
        return false;
      }
    }
    return true;
  }

  private int indexOfColon(int start, int end) {
    for (int i = start; i < end; i++) {
      if (window[i] == ':') {
        return i;
      }
    }
    return -1;
  }

  private int trimStart(int start, int end) {
    while (start < end && isWhitespace(window[start])) {
      start++;
    }
    return start;
  }

  private int trimEnd(int start, int end) {
    while (end > start && isWhitespace(window[end - 1])) {
      end--;
    }
    return end;
  }

  /**
   * Returns whether {@code window[start, end)} contains the UTF-8 encoding of a character above
   * U+007F that {@link Character#isWhitespace(int)} counts as whitespace. Only such a line needs
   * to be decoded before it is trimmed, because the other bytes above 0x7f are never whitespace
   * and UTF-8 never encodes a character above U+007F with a byte below 0x80.
   */
  private boolean hasUnicodeWhitespace(int start, int end) {
    for (int i = start; i + 2 < end; i++) {
      if (isUnicodeWhitespace(window[i], window[i + 1], window[i + 2])) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether three bytes encode U+1680, U+2000 to U+2006, U+2008 to U+200A, U+2028,
   * U+2029, U+205F or U+3000 in UTF-8: every code point above U+007F that Java 17's {@link
   * Character#isWhitespace(int)} accepts, all of them three bytes long.
   */
  static boolean isUnicodeWhitespace(byte first, byte second, byte third) {
    int b0 = first & 0xff;
    int b1 = second & 0xff;
    int b2 = third & 0xff;
    if (b0 == 0xe1) {
      return b1 == 0x9a && b2 == 0x80;
    }
    if (b0 == 0xe2 && b1 == 0x80) {
      return (b2 >= 0x80 && b2 <= 0x8a && b2 != 0x87) || b2 == 0xa8 || b2 == 0xa9;
    }
    if (b0 == 0xe2 && b1 == 0x81) {
      return b2 == 0x9f;
    }
    return b0 == 0xe3 && b1 == 0x80 && b2 == 0x80;
  }

  /** Returns whether an ASCII byte is whitespace as {@link Character#isWhitespace(int)} defines it. */
  private static boolean isWhitespace(byte b) {
    return b == ' ' || (b >= '\t' && b <= '\r') || (b >= 0x1c && b <= 0x1f);
  }

  private Deb822Exception noFieldBefore() {
    return new Deb822Exception(
        "invalid continuation line " + lineNumber + " in " + where + ": no field before it");
  }

  private Deb822Exception invalidLine(String line) {
    return new Deb822Exception(
        "invalid line " + lineNumber + " in " + where + ": expected 'Field: value', found '"
            + Deb822.abbreviate(line) + "'");
  }
}
