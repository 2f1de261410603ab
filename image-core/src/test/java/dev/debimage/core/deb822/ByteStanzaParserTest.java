package dev.debimage.core.deb822;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.sources.SignatureVerifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Checks that {@link Deb822#parse(ByteBuffer, String, java.util.function.Consumer)} returns the
 * same stanzas and errors as the Reader-based parser, on made-up edge cases and on real deb822
 * text of this machine and of the test resources.
 */
class ByteStanzaParserTest {

  /** Text with the cases where a byte-level parser could differ from one that reads lines. */
  private static final String EDGE_CASES =
      "# a comment before the first stanza\n"
          + "Package: plain\n"
          + "Version:   1.0-1   \n"
          + "Architecture: amd64\n"
          + "Description: short\n"
          + " long line\n"
          + " .\n"
          + "  indented verbatim\n"
          + "\t tab continuation \t\n"
          + "  .  \n"
          + "# a comment inside a value\n"
          + " after the comment\n"
          + "SHA256:\n"
          + " abc 10 main/Packages\n"
          + "Empty:\n"
          + "Trailing-Empty-Lines: x\n"
          + " .\n"
          + " .\n"
          + "\n"
          + "   \t \n"
          + "\n"
          + "Package: crlf\r\n"
          + "Architecture: all\r\n"
          + "Description: ends with CR LF\r\n"
          + " second line\r\n"
          + "\r\n"
          + "Package: cr\rArchitecture: amd64\r\r"
          + "Package: duplicates\n"
          + "package: replaced in place\n"
          + "PACKAGE: again\n"
          + "Version: 1\n"
          + "Version: 2\n"
          + " with a second line\n"
          + "  Spaced-Name  : value\n"
          + "Vertical-Tab\u000B: value\n"
          + "\n"
          + "Package: utf8\n"
          + "Maintainer: J\u00e9r\u00f4me \u00c9l\u00e8ve <j@example.org>\n"
          + "Description: \u3000wide spaces around\u3000\n"
          + " \u3000continuation with wide space\u3000\n"
          + " \u3000.\u3000\n"
          + " ascii after utf-8\n"
          + "Cl\u00e9: non-ASCII field name\n"
          + "\u3000\n"
          + "Package: \u2003after a line of Unicode whitespace\n"
          + "Architecture: amd64\n"
          + "\n"
          + "Package: no-final-newline\n"
          + "Description: "
          + "x".repeat(300)
          + "\n "
          + "y".repeat(300);

  @Test
  void edgeCasesMatchReaderParser() {
    byte[] text = EDGE_CASES.getBytes(StandardCharsets.UTF_8);

    List<List<Map.Entry<String, String>>> expected = parseWithReader(text);

    assertEquals(7, expected.size());
    assertEquals(expected, parseBytes(text, 1 << 16));
  }

  @Test
  void edgeCasesMatchWithSmallWindows() {
    byte[] text = EDGE_CASES.getBytes(StandardCharsets.UTF_8);
    List<List<Map.Entry<String, String>>> expected = parseWithReader(text);

    // Windows this small split lines, CR LF pairs and UTF-8 sequences across reads.
    for (int window = 1; window <= 64; window++) {
      assertEquals(expected, parseBytes(text, window), "window of " + window + " bytes");
    }
  }

  @Test
  void unicodeWhitespaceMatchesCharacterIsWhitespace() {
    for (int codePoint = 0x80; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
      if (Character.getType(codePoint) == Character.SURROGATE) {
        continue;
      }
      byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
      boolean found = false;
      for (int i = 0; i + 2 < bytes.length; i++) {
        found |= ByteStanzaParser.isUnicodeWhitespace(bytes[i], bytes[i + 1], bytes[i + 2]);
      }
      assertEquals(Character.isWhitespace(codePoint), found, String.format("U+%04X", codePoint));
    }
  }

  @Test
  void whitespaceAroundValuesMatchesReaderParser() {
    // Every non-ASCII whitespace character, and characters that look like spaces but are not.
    int[] codePoints = {
      0x85, 0xa0, 0x1680, 0x2000, 0x2006, 0x2007, 0x2008, 0x200a, 0x200b, 0x2028, 0x2029, 0x202f,
      0x205f, 0x3000, 0xfeff
    };
    for (int codePoint : codePoints) {
      String space = new String(Character.toChars(codePoint));
      String text = "Package: " + space + "name" + space + "\n"
          + space + "Field" + space + ": value\n"
          + "Description: first\n " + space + "." + space + "\n " + space + "second" + space + "\n"
          + space + "\n"
          + "Package: next\n";
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

      // A line of a character that is not whitespace is invalid, and both parsers must reject it.
      assertEquals(outcome(() -> parseWithReader(bytes)), outcome(() -> parseBytes(bytes, 1 << 16)),
          String.format("U+%04X", codePoint));
    }
  }

  @Test
  void invalidUtf8MatchesReaderParser() {
    byte[] text = {
      'P', 'a', 'c', 'k', 'a', 'g', 'e', ':', ' ', 'b', (byte) 0xff, 'a', 'd', '\n',
      'D', ':', ' ', (byte) 0xc3, '\n', ' ', (byte) 0xe2, (byte) 0x82, '\n',
      'E', ':', ' ', (byte) 0xc3, (byte) 0xa9, (byte) 0xc3, '\n',
      // A truncated U+3000 before a space, and one right before a whole U+3000.
      'F', ':', ' ', (byte) 0xe3, (byte) 0x80, ' ', '\n',
      'G', ':', ' ', 'x', (byte) 0xe3, (byte) 0x80, (byte) 0xe3, (byte) 0x80, (byte) 0x80, '\n'
    };

    List<List<Map.Entry<String, String>>> expected = parseWithReader(text);

    assertTrue(expected.get(0).get(0).getValue().contains("\uFFFD"));
    assertEquals(expected, parseBytes(text, 1 << 16));
    assertEquals(expected, parseBytes(text, 3));
  }

  @Test
  void valuesOfRepeatedFieldsAreShared() {
    byte[] text = "Package: a\nSection: utils\n\nPackage: b\nSection: utils\n".getBytes(StandardCharsets.UTF_8);
    List<Stanza> stanzas = new ArrayList<>();

    Deb822.parse(ByteBuffer.wrap(text), "test", stanzas::add);

    assertEquals(2, stanzas.size());
    assertTrue(stanzas.get(0).get("Section", "") == stanzas.get(1).get("Section", ""));
  }

  @Test
  void parseLeavesBufferPosition() {
    ByteBuffer buffer = ByteBuffer.wrap("X: 1\n\nX: 2\n".getBytes(StandardCharsets.UTF_8));
    buffer.position(6);
    List<Stanza> stanzas = new ArrayList<>();

    Deb822.parse(buffer, "test", stanzas::add);

    assertEquals(1, stanzas.size());
    assertEquals("2", stanzas.get(0).get("X", ""));
    assertEquals(6, buffer.position());
  }

  @Test
  void continuationWithoutFieldMatchesReaderError() {
    assertSameError("# comment\r\nA: 1\r\n\r\n continued\n");
    assertSameError("A: 1\n\n\u3000continued \u00e9\n");
  }

  @Test
  void lineWithoutColonMatchesReaderError() {
    assertSameError("A: 1\rB: 2\r\nno colon here\n");
    assertSameError(": empty name\n");
    assertSameError("A: 1\n" + "z".repeat(200) + "\n");
    assertSameError("A: 1\nno colon \u00e9\n");
  }

  @Test
  void dpkgStatusMatchesReaderParser() throws IOException {
    Path status = Path.of("/var/lib/dpkg/status");
    assumeTrue(Files.isReadable(status), "no dpkg status file on this machine");
    byte[] text = Files.readAllBytes(status);

    List<List<Map.Entry<String, String>>> expected = parseWithReader(text);

    assertTrue(expected.size() > 10, "the dpkg status file lists only " + expected.size() + " packages");
    assertEquals(expected, parseBytes(text, 1 << 16));
    assertEquals(expected, parseBytes(text, 4096));
  }

  @Test
  void releaseFileMatchesReaderParser() throws IOException {
    byte[] inRelease;
    try (InputStream in = getClass().getResourceAsStream("/dev/debimage/core/sources/noble-InRelease")) {
      inRelease = in.readAllBytes();
    }
    byte[] text = SignatureVerifier.unverifiedClearsignedText(inRelease, "noble-InRelease")
        .getBytes(StandardCharsets.UTF_8);

    List<List<Map.Entry<String, String>>> expected = parseWithReader(text);

    assertTrue(expected.get(0).size() > 5);
    assertEquals(expected, parseBytes(text, 1 << 16));
  }

  /** Returns the stanzas that {@code parse} returns, or the message of the Deb822Exception it throws. */
  private static Object outcome(Supplier<List<List<Map.Entry<String, String>>>> parse) {
    try {
      return parse.get();
    } catch (Deb822Exception e) {
      return e.getMessage();
    }
  }

  private static void assertSameError(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Deb822Exception expected = assertThrows(Deb822Exception.class, () -> parseWithReader(bytes));
    Deb822Exception actual = assertThrows(Deb822Exception.class, () -> parseBytes(bytes, 1 << 16));

    assertEquals(expected.getMessage(), actual.getMessage());
  }

  /** Parses {@code text} as {@link Deb822#parse(java.io.Reader, String, java.util.function.Consumer)} does. */
  static List<List<Map.Entry<String, String>>> parseWithReader(byte[] text) {
    List<List<Map.Entry<String, String>>> stanzas = new ArrayList<>();
    Deb822.parse(
        new InputStreamReader(new ByteArrayInputStream(text), StandardCharsets.UTF_8), "test",
        stanza -> stanzas.add(fields(stanza)));
    return stanzas;
  }

  private static List<List<Map.Entry<String, String>>> parseBytes(byte[] text, int window) {
    List<List<Map.Entry<String, String>>> stanzas = new ArrayList<>();
    new ByteStanzaParser("test", stanza -> stanzas.add(fields(stanza)), window).parse(ByteBuffer.wrap(text));
    return stanzas;
  }

  /** Returns the fields of a stanza in order, names with their spelling, as comparable entries. */
  static List<Map.Entry<String, String>> fields(Stanza stanza) {
    return List.copyOf(stanza.fields().entrySet());
  }
}
