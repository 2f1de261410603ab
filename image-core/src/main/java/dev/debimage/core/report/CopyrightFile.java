package dev.debimage.core.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The licenses of a machine-readable Debian copyright file (the DEP-5 format,
 * https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/): the distinct short names of
 * its {@code License} fields and the license texts of its stand-alone License paragraphs.
 *
 * @param licenseNames the distinct short names, sorted
 * @param licenseTexts the text given for each short name, where the file has one
 */
public record CopyrightFile(List<String> licenseNames, Map<String, String> licenseTexts) {

  private static final Pattern FORMAT_LINE = Pattern.compile(
      "(?i)format:\\s*https?://www\\.debian\\.org/doc/packaging-manuals/copyright-format/1\\.0/?\\s*");
  private static final Pattern FIELD = Pattern.compile("([A-Za-z][A-Za-z0-9-]*):(.*)");
  // The License field joins short names with "or" (a choice) and "and" (both apply), optionally after a comma.
  private static final Pattern OPERATOR = Pattern.compile("(?i)\\s*,?\\s+(?:or|and)\\s+|\\s*,\\s*");

  public CopyrightFile {
    licenseNames = List.copyOf(licenseNames);
    licenseTexts = Map.copyOf(licenseTexts);
  }

  /**
   * Parses a copyright file. Returns empty when its first line is not the DEP-5 {@code Format}
   * line, because the licenses of a free-form file cannot be read reliably.
   */
  public static Optional<CopyrightFile> parse(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8).replace("\r\n", "\n");
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || !FORMAT_LINE.matcher(lines[0]).matches()) {
      return Optional.empty();
    }
    TreeSet<String> names = new TreeSet<>();
    Map<String, String> texts = new LinkedHashMap<>();
    for (List<String> paragraph : paragraphs(lines)) {
      Map<String, List<String>> fields = fields(paragraph);
      List<String> license = fields.get("license");
      if (license == null || license.get(0).isBlank()) {
        continue;
      }
      String expression = license.get(0).strip();
      for (String name : OPERATOR.split(expression)) {
        if (!name.isBlank()) {
          names.add(name.strip());
        }
      }
      String body = body(license);
      if (!body.isEmpty()) {
        texts.putIfAbsent(expression, body);
      }
    }
    return Optional.of(new CopyrightFile(new ArrayList<>(names), texts));
  }

  private static List<List<String>> paragraphs(String[] lines) {
    List<List<String>> paragraphs = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          paragraphs.add(current);
          current = new ArrayList<>();
        }
      } else {
        current.add(line);
      }
    }
    if (!current.isEmpty()) {
      paragraphs.add(current);
    }
    return paragraphs;
  }

  /** Splits a paragraph into fields keyed by lower-case name: the first line's value, then continuation lines. */
  private static Map<String, List<String>> fields(List<String> paragraph) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : paragraph) {
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (current != null) {
          current.add(line);
        }
        continue;
      }
      Matcher matcher = FIELD.matcher(line);
      if (matcher.matches()) {
        current = new ArrayList<>();
        current.add(matcher.group(2));
        fields.put(matcher.group(1).toLowerCase(Locale.ROOT), current);
      } else {
        current = null;
      }
    }
    return fields;
  }

  /** Returns the continuation lines of a field, with the leading space and the {@code .} of empty lines removed. */
  private static String body(List<String> field) {
    StringBuilder text = new StringBuilder();
    for (String line : field.subList(1, field.size())) {
      String stripped = line.substring(1);
      text.append(stripped.strip().equals(".") ? "" : stripped).append('\n');
    }
    return text.toString().strip();
  }
}
