package dev.debimage.core.sources;

import dev.debimage.core.ImageBuildException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of an OpenPGP cleartext signed message (RFC 4880 section 7): the {@code Hash} armor
 * headers, the signed text and the armored signature block.
 *
 * <p>The framework is split here rather than by BouncyCastle's {@code ArmoredInputStream}, because
 * that class skips text before the message, ignores text after the signature and leaves line
 * handling to the caller, while this parser must reject all of these.
 */
final class ClearsignedMessage {

  static final String MESSAGE_START = "-----BEGIN PGP SIGNED MESSAGE-----";
  static final String SIGNATURE_START = "-----BEGIN PGP SIGNATURE-----";
  static final String SIGNATURE_END = "-----END PGP SIGNATURE-----";

  private final List<String> hashNames;
  private final List<String> lines;
  private final byte[] signatureBlock;

  private ClearsignedMessage(List<String> hashNames, List<String> lines, byte[] signatureBlock) {
    this.hashNames = List.copyOf(hashNames);
    this.lines = List.copyOf(lines);
    this.signatureBlock = signatureBlock;
  }

  /** Names from the {@code Hash} headers, upper case, such as {@code SHA256}; empty without a header. */
  List<String> hashNames() {
    return hashNames;
  }

  /**
   * Returns the bytes that the signatures cover: the lines without trailing spaces and tabs,
   * joined by CR LF, without a line ending after the last line.
   */
  byte[] signedBytes() {
    return String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Returns the signed text with each line ended by LF; the LF after the last line is the one
   * line ending that the signature does not cover, because RFC 4880 assigns it to the armor.
   */
  String text() {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    return text.toString();
  }

  /** Returns the armored signature block, from its BEGIN line to its END line. */
  byte[] signatureBlock() {
    return signatureBlock.clone();
  }

  /**
   * Splits a cleartext signed message into its parts. Rejects, naming {@code where}: data that is
   * not UTF-8, anything but whitespace before the message or after the signature, several signed
   * messages, armor headers other than {@code Hash}, lines that start with a dash without dash
   * escaping, and a missing signature.
   */
  static ClearsignedMessage parse(byte[] data, String where) {
    List<String> input = splitLines(decode(data, where));
    int index = 0;
    while (index < input.size() && input.get(index).isBlank()) {
      index++;
    }
    if (index == input.size() || !input.get(index).stripTrailing().equals(MESSAGE_START)) {
      boolean hasStart = input.stream().anyMatch(l -> l.stripTrailing().equals(MESSAGE_START));
      throw new ImageBuildException(
          hasStart
              ? "invalid signed file " + where + ": line " + (index + 1) + " comes before the "
                  + MESSAGE_START + " line, but a clearsigned file must not have unsigned text;"
                  + " the file was changed or is not what the archive publishes"
              : "missing signature in " + where + ": it is not an OpenPGP clearsigned message;"
                  + " check that the URL points to an InRelease file of a signed archive");
    }
    index++;

    List<String> hashNames = new ArrayList<>();
    for (; index < input.size() && !input.get(index).isBlank(); index++) {
      String header = input.get(index).strip();
      if (!header.regionMatches(true, 0, "Hash:", 0, 5)) {
        throw new ImageBuildException(
            "invalid signed file " + where + ": armor header line " + (index + 1) + " '" + header
                + "' is not a Hash header, the only header RFC 4880 allows in a clearsigned message");
      }
      for (String name : header.substring(5).split(",")) {
        if (!name.isBlank()) {
          hashNames.add(name.strip().toUpperCase(Locale.ROOT));
        }
      }
    }
    if (index == input.size()) {
      throw missingSignature(where);
    }
    index++;

    List<String> lines = new ArrayList<>();
    for (; index < input.size(); index++) {
      String line = input.get(index);
      if (line.stripTrailing().equals(SIGNATURE_START)) {
        break;
      }
      if (line.startsWith("- ")) {
        line = line.substring(2);
      } else if (line.startsWith("-")) {
        throw new ImageBuildException(
            "invalid signed file " + where + ": line " + (index + 1) + " '" + abbreviate(line)
                + "' starts with '-' but is not dash-escaped ('- '), so the signed text cannot be"
                + " told apart from the armor; the file was changed or is not what the archive"
                + " publishes");
      }
      lines.add(stripTrailingBlanks(line));
    }
    if (index == input.size()) {
      throw missingSignature(where);
    }

    int signatureStart = index;
    for (; index < input.size(); index++) {
      if (input.get(index).stripTrailing().equals(SIGNATURE_END)) {
        break;
      }
    }
    if (index == input.size()) {
      throw new ImageBuildException(
          "invalid signed file " + where + ": the signature block has no " + SIGNATURE_END
              + " line; the download may be truncated, fetch the file again");
    }
    String signatureBlock = String.join("\n", input.subList(signatureStart, index + 1)) + "\n";

    for (index++; index < input.size(); index++) {
      String line = input.get(index).stripTrailing();
      if (line.equals(MESSAGE_START) || line.equals(SIGNATURE_START)) {
        throw new ImageBuildException(
            "invalid signed file " + where + ": line " + (index + 1) + " starts another signed"
                + " block, but an InRelease file must contain exactly one; the file was changed or"
                + " is not what the archive publishes");
      }
      if (!line.isBlank()) {
        throw new ImageBuildException(
            "invalid signed file " + where + ": line " + (index + 1) + " comes after the"
                + " signature, but a clearsigned file must not have unsigned text; the file was"
                + " changed or is not what the archive publishes");
      }
    }
    return new ClearsignedMessage(
        hashNames, lines, signatureBlock.getBytes(StandardCharsets.US_ASCII));
  }

  private static ImageBuildException missingSignature(String where) {
    return new ImageBuildException(
        "missing signature in " + where + ": the clearsigned message has no " + SIGNATURE_START
            + " block; the download may be truncated, fetch the file again");
  }

  private static String decode(byte[] data, String where) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ImageBuildException(
          "invalid signed file " + where + ": it is not UTF-8 text; check that the URL points to"
              + " an InRelease file", e);
    }
  }

  /** Splits on LF and drops the CR of a CR LF line ending. */
  private static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(start, end);
      lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      start = end + 1;
    }
    return lines;
  }

  /** Removes trailing spaces and tabs, the only whitespace that RFC 4880 drops from signed lines. */
  private static String stripTrailingBlanks(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    return line.substring(0, end);
  }

  private static String abbreviate(String line) {
    return line.length() > 60 ? line.substring(0, 57) + "..." : line;
  }
}
