package dev.debimage.core.resolution;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed relationship field such as {@code Depends} (Debian Policy 7.1): every group must be met,
 * and a group is met by any one of its alternatives.
 *
 * @param groups the comma-separated groups, each a list of {@code |}-separated alternatives
 */
public record Relationship(List<List<PackageConstraint>> groups) {

  /** Copies the groups so the relationship cannot change. */
  public Relationship {
    List<List<PackageConstraint>> copy = new ArrayList<>();
    for (List<PackageConstraint> group : groups) {
      copy.add(List.copyOf(group));
    }
    groups = List.copyOf(copy);
  }

  /**
   * Parses a relationship field that has no architecture restrictions, such as a field of a
   * binary package stanza.
   *
   * @throws ImageBuildException when the value is malformed or has an architecture restriction,
   *     which needs {@link #parse(String, String)}
   */
  public static Relationship parse(String fieldValue) {
    return parse(fieldValue, null);
  }

  /**
   * Parses a relationship field for the target {@code architecture}. An alternative whose
   * architecture restriction such as {@code [amd64 !i386]} excludes the target is dropped, and so
   * is an alternative whose build profile restriction such as {@code <!nocheck>} is false when no
   * build profile is active. A group left with no alternatives is dropped.
   *
   * @param architecture the target architecture, or null to reject architecture restrictions
   * @throws ImageBuildException naming the value and the alternative when the value is malformed
   */
  public static Relationship parse(String fieldValue, String architecture) {
    List<List<PackageConstraint>> groups = new ArrayList<>();
    if (fieldValue == null || fieldValue.isBlank()) {
      return new Relationship(groups);
    }
    for (String groupText : fieldValue.split(",", -1)) {
      if (groupText.isBlank()) {
        // A trailing or doubled comma adds nothing; dpkg-source accepts it in control files.
        continue;
      }
      List<PackageConstraint> group = new ArrayList<>();
      boolean hadAlternatives = false;
      for (String alternative : groupText.split("\\|", -1)) {
        if (alternative.isBlank()) {
          throw invalid(fieldValue, groupText.strip(), "an alternative between '|' is empty");
        }
        hadAlternatives = true;
        PackageConstraint constraint =
            new AlternativeParser(fieldValue, alternative, architecture).parse();
        if (constraint != null) {
          group.add(constraint);
        }
      }
      if (hadAlternatives && !group.isEmpty()) {
        groups.add(group);
      }
    }
    return new Relationship(groups);
  }

  /** Returns whether the field has no groups. */
  public boolean isEmpty() {
    return groups.isEmpty();
  }

  /** Returns the field in control-file syntax, such as {@code libc6 (>= 2.36), awk | mawk}. */
  @Override
  public String toString() {
    return groups.stream().map(Relationship::formatGroup).collect(Collectors.joining(", "));
  }

  /** Returns one group in control-file syntax, such as {@code default-mta | mail-transport-agent}. */
  public static String formatGroup(List<PackageConstraint> group) {
    return group.stream().map(PackageConstraint::toString).collect(Collectors.joining(" | "));
  }

  static ImageBuildException invalid(String fieldValue, String alternative, String reason) {
    return new ImageBuildException(
        "invalid relationship '" + alternative.strip() + "' in '" + fieldValue.strip() + "': "
            + reason + "; expected name[:arch] [(op version)] [[arch ...]] [<profile ...>]");
  }

  /** Reads one alternative, such as {@code foo:any (>= 1.0) [amd64] <!nocheck>}. */
  private static final class AlternativeParser {
    private final String fieldValue;
    private final String text;
    private final String architecture;
    private int position;

    AlternativeParser(String fieldValue, String text, String architecture) {
      this.fieldValue = fieldValue;
      this.text = text;
      this.architecture = architecture;
    }

    /** Returns the constraint, or null when a restriction drops it for the target. */
    PackageConstraint parse() {
      skipWhitespace();
      String name = readWord("package name", AlternativeParser::isAsciiAlphanumeric, "+.-");
      if (!isAsciiAlphanumeric(name.charAt(0))) {
        throw fail("the package name '" + name + "' must start with a letter or digit");
      }
      for (int i = 0; i < name.length(); i++) {
        if (Character.isUpperCase(name.charAt(i))) {
          throw fail("the package name '" + name + "' must be lower case");
        }
      }

      String qualifier = null;
      if (peek() == ':') {
        position++;
        qualifier = readWord("architecture qualifier", AlternativeParser::isAsciiAlphanumeric, "-");
      }
      skipWhitespace();

      PackageConstraint.Operator operator = null;
      DebianVersion version = null;
      if (peek() == '(') {
        position++;
        skipWhitespace();
        int start = position;
        while (position < text.length() && "<>=".indexOf(text.charAt(position)) >= 0) {
          position++;
        }
        String symbol = text.substring(start, position);
        if (symbol.isEmpty()) {
          throw fail("a version relation needs an operator such as >=");
        }
        operator = operatorFor(symbol);
        skipWhitespace();
        start = position;
        while (position < text.length()
            && text.charAt(position) != ')'
            && !Character.isWhitespace(text.charAt(position))) {
          position++;
        }
        String versionText = text.substring(start, position);
        if (versionText.isEmpty()) {
          throw fail("a version relation needs a version after '" + symbol + "'");
        }
        version = DebianVersion.parse(versionText);
        skipWhitespace();
        expect(')');
        skipWhitespace();
      }

      boolean applies = true;
      if (peek() == '[') {
        position++;
        applies = readArchitectureRestriction();
        skipWhitespace();
      }
      boolean anyProfileList = false;
      boolean profileListTrue = false;
      while (peek() == '<') {
        position++;
        anyProfileList = true;
        profileListTrue |= readProfileList();
        skipWhitespace();
      }
      if (position < text.length()) {
        throw fail("unexpected '" + text.substring(position).strip() + "'");
      }
      if (!applies || (anyProfileList && !profileListTrue)) {
        return null;
      }
      return new PackageConstraint(name, qualifier, operator, version);
    }

    private PackageConstraint.Operator operatorFor(String symbol) {
      try {
        return PackageConstraint.Operator.fromSymbol(symbol);
      } catch (ImageBuildException e) {
        throw fail("'" + symbol + "' is not a version relation; use one of << <= = >= >>");
      }
    }

    /** Returns whether the restriction list, after {@code [}, includes the target. */
    private boolean readArchitectureRestriction() {
      int close = text.indexOf(']', position);
      if (close < 0) {
        throw fail("the architecture restriction has no closing ']'");
      }
      String[] words = text.substring(position, close).strip().split("\\s+");
      position = close + 1;
      if (words.length == 0 || words[0].isEmpty()) {
        throw fail("the architecture restriction '[]' is empty");
      }
      if (architecture == null) {
        throw fail(
            "an architecture restriction needs the target architecture;"
                + " parse with Relationship.parse(value, architecture)");
      }
      boolean negated = words[0].startsWith("!");
      boolean matched = false;
      for (String word : words) {
        if (word.startsWith("!") != negated) {
          throw fail("the architecture restriction mixes negated and plain architectures");
        }
        String pattern = negated ? word.substring(1) : word;
        if (pattern.isEmpty()) {
          throw fail("the architecture restriction has an empty name after '!'");
        }
        matched |= ArchitectureWildcard.matches(pattern, architecture);
      }
      return negated != matched;
    }

    /**
     * Returns whether the profile list after {@code <} is true when no build profile is active:
     * every term must be negated.
     */
    private boolean readProfileList() {
      int close = text.indexOf('>', position);
      if (close < 0) {
        throw fail("the build profile restriction has no closing '>'");
      }
      String[] terms = text.substring(position, close).strip().split("\\s+");
      position = close + 1;
      if (terms.length == 0 || terms[0].isEmpty()) {
        throw fail("the build profile restriction '<>' is empty");
      }
      boolean allTrue = true;
      for (String term : terms) {
        if (term.equals("!")) {
          throw fail("the build profile restriction has an empty name after '!'");
        }
        allTrue &= term.startsWith("!");
      }
      return allTrue;
    }

    private String readWord(String what, CharPredicate letterOrDigit, String punctuation) {
      int start = position;
      while (position < text.length()
          && (letterOrDigit.test(text.charAt(position))
              || punctuation.indexOf(text.charAt(position)) >= 0)) {
        position++;
      }
      if (start == position) {
        throw fail("missing " + what);
      }
      return text.substring(start, position);
    }

    private void expect(char expected) {
      if (peek() != expected) {
        throw fail("expected '" + expected + "'");
      }
      position++;
    }

    private static boolean isAsciiAlphanumeric(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private char peek() {
      return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipWhitespace() {
      while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
        position++;
      }
    }

    private ImageBuildException fail(String reason) {
      return invalid(fieldValue, text, reason);
    }
  }

  /** A test on one character. */
  private interface CharPredicate {
    boolean test(char c);
  }
}
