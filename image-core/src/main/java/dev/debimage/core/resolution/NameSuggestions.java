package dev.debimage.core.resolution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Finds package names close to a misspelt one, for "not found" messages. */
final class NameSuggestions {

  private static final int MAX_SUGGESTIONS = 5;
  private static final int MAX_DISTANCE = 2;

  private NameSuggestions() {}

  /**
   * Returns up to five names that start with {@code name}, that {@code name} starts with, or that
   * are at most two edits away (Levenshtein distance), closest first and then by name.
   */
  static List<String> similar(String name, Collection<String> names) {
    record Match(String name, int distance) {}
    List<Match> matches = new ArrayList<>();
    for (String candidate : names) {
      if (candidate.equals(name)) {
        continue;
      }
      if (Math.abs(candidate.length() - name.length()) <= MAX_DISTANCE) {
        int distance = distance(name, candidate);
        if (distance <= MAX_DISTANCE) {
          matches.add(new Match(candidate, distance));
          continue;
        }
      }
      if (name.length() >= 3 && (candidate.startsWith(name) || name.startsWith(candidate))) {
        matches.add(new Match(candidate, MAX_DISTANCE + 1));
      }
    }
    matches.sort(Comparator.comparingInt(Match::distance).thenComparing(Match::name));
    return matches.stream().limit(MAX_SUGGESTIONS).map(Match::name).toList();
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
