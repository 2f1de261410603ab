package dev.debimage.core.assembly;

/**
 * Shell glob matching as {@code fnmatch(3)} does it with no flags. {@code *} matches any
 * sequence and {@code ?} any one character, both including {@code /}. {@code [...]} is a
 * character class with ranges, and {@code !} or {@code ^} complements it. A backslash quotes the
 * next character, and a {@code [} without a closing {@code ]} matches itself.
 */
final class Glob {

  private Glob() {}

  /** Returns whether {@code text} matches {@code pattern} as a whole. */
  static boolean matches(String pattern, String text) {
    return matchFrom(pattern, 0, text, 0);
  }

  private static boolean matchFrom(String pattern, int p, String text, int t) {
    while (p < pattern.length()) {
      char c = pattern.charAt(p);
      if (c == '*') {
        while (p < pattern.length() && pattern.charAt(p) == '*') {
          p++;
        }
        if (p == pattern.length()) {
          return true;
        }
        for (int start = t; start <= text.length(); start++) {
          if (matchFrom(pattern, p, text, start)) {
            return true;
          }
        }
        return false;
      }
      if (t >= text.length()) {
        return false;
      }
      if (c == '?') {
        p++;
        t++;
        continue;
      }
      if (c == '[') {
        int end = classEnd(pattern, p);
        if (end > 0) {
          if (!classMatches(pattern, p + 1, end, text.charAt(t))) {
            return false;
          }
          p = end + 1;
          t++;
          continue;
        }
      }
      if (c == '\\' && p + 1 < pattern.length()) {
        p++;
        c = pattern.charAt(p);
      }
      if (c != text.charAt(t)) {
        return false;
      }
      p++;
      t++;
    }
    return t == text.length();
  }

  /** Returns the index of the {@code ]} that closes the class at {@code open}, or -1. */
  private static int classEnd(String pattern, int open) {
    int i = open + 1;
    if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
      i++;
    }
    if (i < pattern.length() && pattern.charAt(i) == ']') {
      i++;
    }
    while (i < pattern.length() && pattern.charAt(i) != ']') {
      i++;
    }
    return i < pattern.length() ? i : -1;
  }

  private static boolean classMatches(String pattern, int start, int end, char c) {
    boolean negated = pattern.charAt(start) == '!' || pattern.charAt(start) == '^';
    int i = negated ? start + 1 : start;
    boolean matched = false;
    boolean first = true;
    while (i < end) {
      char low = pattern.charAt(i);
      if (low == ']' && !first) {
        break;
      }
      first = false;
      if (i + 2 < end && pattern.charAt(i + 1) == '-') {
        char high = pattern.charAt(i + 2);
        if (c >= low && c <= high) {
          matched = true;
        }
        i += 3;
      } else {
        if (c == low) {
          matched = true;
        }
        i++;
      }
    }
    return matched != negated;
  }
}
