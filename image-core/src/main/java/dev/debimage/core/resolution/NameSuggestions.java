package dev.debimage.core.resolution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Finds names close to a misspelt one, for "not found" messages about packages and parameters. */
public final class NameSuggestions {

  private static final int MAX_SUGGESTIONS = 5;
  private static final int MAX_DISTANCE = 2;

  private NameSuggestions() {}

  /**
   * Returns up to five names that start with {@code name}, that {@code name} starts with, or that
   * are at most two edits away (a swap of adjacent letters counts as one edit), closest first and then by name.
   */
  public static List<String> similar(String name, Collection<String> names) {
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

  /**
   * Returns the edit distance between {@code a} and {@code b}, where an insertion, a deletion, a
   * substitution and a swap of two adjacent letters each count as one edit (optimal string
   * alignment), so that {@code crul} is one edit from {@code curl}.
   */
  static int distance(String a, String b) {
    int[] beforePrevious = new int[b.length() + 1];
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        int best = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          best = Math.min(best, beforePrevious[j - 2] + 1);
        }
        current[j] = best;
      }
      int[] oldest = beforePrevious;
      beforePrevious = previous;
      previous = current;
      current = oldest;
    }
    return previous[b.length()];
  }
}
