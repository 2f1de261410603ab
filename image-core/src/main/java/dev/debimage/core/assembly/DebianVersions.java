package dev.debimage.core.assembly;

/**
 * Compares Debian version strings ({@code [epoch:]upstream[-revision]}) by the algorithm of
 * Debian Policy 5.6.12, which dpkg implements.
 */
final class DebianVersions {

  private DebianVersions() {}

  /** Returns a negative number, zero or a positive number as {@code a} is older, equal or newer. */
  static int compare(String a, String b) {
    int epochA = epoch(a);
    int epochB = epoch(b);
    if (epochA != epochB) {
      return Integer.compare(epochA, epochB);
    }
    String restA = a.substring(a.indexOf(':') + 1);
    String restB = b.substring(b.indexOf(':') + 1);
    int dashA = restA.lastIndexOf('-');
    int dashB = restB.lastIndexOf('-');
    String upstreamA = dashA < 0 ? restA : restA.substring(0, dashA);
    String upstreamB = dashB < 0 ? restB : restB.substring(0, dashB);
    int upstream = comparePart(upstreamA, upstreamB);
    if (upstream != 0) {
      return upstream;
    }
    return comparePart(
        dashA < 0 ? "0" : restA.substring(dashA + 1), dashB < 0 ? "0" : restB.substring(dashB + 1));
  }

  private static int epoch(String version) {
    int colon = version.indexOf(':');
    return colon < 0 ? 0 : Integer.parseInt(version.substring(0, colon));
  }

  /** Compares alternating non-digit and digit runs, the non-digit runs by {@link #order}. */
  private static int comparePart(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !Character.isDigit(a.charAt(i)))
          || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
        int orderA = i < a.length() ? order(a.charAt(i)) : 0;
        int orderB = j < b.length() ? order(b.charAt(j)) : 0;
        if (orderA != orderB) {
          return Integer.compare(orderA, orderB);
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      int firstDiff = 0;
      while (i < a.length() && Character.isDigit(a.charAt(i))
          && j < b.length() && Character.isDigit(b.charAt(j))) {
        if (firstDiff == 0) {
          firstDiff = Integer.compare(a.charAt(i), b.charAt(j));
        }
        i++;
        j++;
      }
      if (i < a.length() && Character.isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < b.length() && Character.isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return firstDiff;
      }
    }
    return 0;
  }

  /** Letters sort first, then other characters; {@code ~} sorts before everything, even the end. */
  private static int order(char c) {
    if (Character.isDigit(c)) {
      return 0;
    }
    if (Character.isLetter(c)) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }
}
