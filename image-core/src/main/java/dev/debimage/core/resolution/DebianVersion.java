package dev.debimage.core.resolution;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Debian package version, {@code [epoch:]upstream_version[-debian_revision]} (Debian Policy
 * 5.6.12), ordered exactly as {@code dpkg --compare-versions} orders versions.
 *
 * <p>Two versions are equal when dpkg compares them as equal, so {@code 1.0}, {@code 0:1.0},
 * {@code 1.00} and {@code 1.0-0} are all equal. {@link #toString()} still returns the text that was
 * parsed.
 */
public final class DebianVersion implements Comparable<DebianVersion> {

  private final String text;
  private final int epoch;
  private final String upstream;
  private final String revision;
  private final int hash;

  private DebianVersion(String text, int epoch, String upstream, String revision) {
    this.text = text;
    this.epoch = epoch;
    this.upstream = upstream;
    this.revision = revision;
    this.hash = Objects.hash(epoch, canonicalParts(upstream), canonicalParts(revision));
  }

  /**
   * Parses a version. Surrounding whitespace is ignored. The epoch must be a decimal number no
   * larger than 2147483647, the upstream version must be non-empty and contain only alphanumerics
   * and {@code . + ~}, plus {@code -} when there is a revision, and the revision may contain only
   * alphanumerics and {@code . + ~}.
   *
   * <p>Debian Policy only recommends ("should") that the upstream version start with a digit, and
   * dpkg only warns when it does not, so such versions are accepted. Colons in the upstream version are rejected,
   * as current Policy requires, although dpkg accepts them when an epoch is present.
   *
   * @throws ImageBuildException naming the version when it is invalid
   */
  public static DebianVersion parse(String version) {
    if (version == null) {
      throw new ImageBuildException("missing version: expected [epoch:]upstream[-revision]");
    }
    String text = version.strip();
    if (text.isEmpty()) {
      throw invalid(version, "it is empty");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        throw invalid(version, "it contains whitespace");
      }
    }

    int epoch = 0;
    String rest = text;
    int colon = text.indexOf(':');
    if (colon >= 0) {
      String epochText = text.substring(0, colon);
      if (epochText.isEmpty()) {
        throw invalid(version, "the epoch before ':' is empty");
      }
      for (int i = 0; i < epochText.length(); i++) {
        if (!isDigit(epochText.charAt(i))) {
          throw invalid(version, "the epoch '" + epochText + "' is not a decimal number");
        }
      }
      long value = parseEpoch(epochText);
      if (value > Integer.MAX_VALUE) {
        throw invalid(version, "the epoch '" + epochText + "' is larger than 2147483647");
      }
      epoch = (int) value;
      rest = text.substring(colon + 1);
      if (rest.isEmpty()) {
        throw invalid(version, "nothing follows the epoch");
      }
    }

    String upstream = rest;
    String revision = "";
    int hyphen = rest.lastIndexOf('-');
    if (hyphen >= 0) {
      upstream = rest.substring(0, hyphen);
      revision = rest.substring(hyphen + 1);
      if (revision.isEmpty()) {
        throw invalid(version, "the revision after the last '-' is empty");
      }
    }
    if (upstream.isEmpty()) {
      throw invalid(version, "the upstream version is empty");
    }
    for (int i = 0; i < upstream.length(); i++) {
      char c = upstream.charAt(i);
      if (!isAlphanumeric(c) && ".+~-".indexOf(c) < 0) {
        throw invalid(
            version,
            "the upstream version '" + upstream + "' contains '" + c
                + "'; only alphanumerics and . + - ~ are allowed");
      }
    }
    for (int i = 0; i < revision.length(); i++) {
      char c = revision.charAt(i);
      if (!isAlphanumeric(c) && ".+~".indexOf(c) < 0) {
        throw invalid(
            version,
            "the revision '" + revision + "' contains '" + c
                + "'; only alphanumerics and . + ~ are allowed");
      }
    }
    return new DebianVersion(text, epoch, upstream, revision);
  }

  /** Returns the epoch, 0 when the version has none. */
  public int epoch() {
    return epoch;
  }

  /** Returns the upstream version: the text between the epoch and the last hyphen. */
  public String upstream() {
    return upstream;
  }

  /** Returns the Debian revision, empty when the version has none. */
  public String revision() {
    return revision;
  }

  /** Compares epochs as numbers, then upstream versions, then revisions, as dpkg does. */
  @Override
  public int compareTo(DebianVersion other) {
    int result = Integer.compare(epoch, other.epoch);
    if (result != 0) {
      return result;
    }
    result = compareFragment(upstream, other.upstream);
    if (result != 0) {
      return result;
    }
    return compareFragment(revision, other.revision);
  }

  /** Returns whether dpkg compares the two versions as equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof DebianVersion && compareTo((DebianVersion) other) == 0;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Returns the version as parsed, without surrounding whitespace. */
  @Override
  public String toString() {
    return text;
  }

  /**
   * Compares an upstream version or a revision. Both strings are read as alternating runs: a run
   * of non-digits compared character by character with {@link #order}, then a run of digits
   * compared as a number, where an empty run counts as the number 0.
   */
  static int compareFragment(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
        int left = i < a.length() && !isDigit(a.charAt(i)) ? order(a.charAt(i)) : 0;
        int right = j < b.length() && !isDigit(b.charAt(j)) ? order(b.charAt(j)) : 0;
        if (left != right) {
          return Integer.compare(left, right);
        }
        if (i < a.length() && !isDigit(a.charAt(i))) {
          i++;
        }
        if (j < b.length() && !isDigit(b.charAt(j))) {
          j++;
        }
      }

      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      int startA = i;
      int startB = j;
      while (i < a.length() && isDigit(a.charAt(i))) {
        i++;
      }
      while (j < b.length() && isDigit(b.charAt(j))) {
        j++;
      }
      // Without leading zeros, a longer run of digits is the larger number, so no run is ever
      // converted to a fixed-width integer.
      int lengthA = i - startA;
      int lengthB = j - startB;
      if (lengthA != lengthB) {
        return Integer.compare(lengthA, lengthB);
      }
      for (int k = 0; k < lengthA; k++) {
        int digit = Character.compare(a.charAt(startA + k), b.charAt(startB + k));
        if (digit != 0) {
          return digit;
        }
      }
    }
    return 0;
  }

  /**
   * Returns the weight of a character in a non-digit run: {@code ~} sorts before everything, even
   * the end of the run (weight 0, also used when the other run has reached a digit), then letters
   * by ASCII code, then all other characters by ASCII code.
   */
  private static int order(char c) {
    if (c == '~') {
      return -1;
    }
    if (isLetter(c)) {
      return c;
    }
    return c + 256;
  }

  /**
   * Returns the runs of a fragment with leading zeros removed and trailing runs that compare as
   * empty dropped, so that fragments dpkg compares as equal have equal lists.
   */
  private static List<String> canonicalParts(String fragment) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < fragment.length()) {
      int start = i;
      while (i < fragment.length() && !isDigit(fragment.charAt(i))) {
        i++;
      }
      parts.add(fragment.substring(start, i));
      while (i < fragment.length() && fragment.charAt(i) == '0') {
        i++;
      }
      start = i;
      while (i < fragment.length() && isDigit(fragment.charAt(i))) {
        i++;
      }
      parts.add(fragment.substring(start, i));
    }
    while (parts.size() >= 2
        && parts.get(parts.size() - 1).isEmpty()
        && parts.get(parts.size() - 2).isEmpty()) {
      parts.remove(parts.size() - 1);
      parts.remove(parts.size() - 1);
    }
    return parts;
  }

  private static long parseEpoch(String digits) {
    String significant = digits.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 10) {
      return Long.MAX_VALUE;
    }
    return Long.parseLong(significant);
  }

  private static ImageBuildException invalid(String version, String reason) {
    return new ImageBuildException(
        "invalid Debian version '" + version + "': " + reason
            + "; expected [epoch:]upstream_version[-debian_revision] as in Debian Policy 5.6.12");
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlphanumeric(char c) {
    return isDigit(c) || isLetter(c);
  }
}
