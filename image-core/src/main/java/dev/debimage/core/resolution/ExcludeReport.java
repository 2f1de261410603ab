package dev.debimage.core.resolution;

import dev.debimage.core.resolution.Candidate.Provision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The warnings that name, for each excluded package, the chosen packages that asked for it. */
final class ExcludeReport {

  private ExcludeReport() {}

  /**
   * Returns one warning per excluded name: the dependency groups of the chosen packages (Depends,
   * Pre-Depends and, when followed, Recommends) that name it or a name only it provides.
   */
  static List<String> describe(Resolver resolver, List<Candidate> chosen) {
    Map<String, TreeSet<String>> wantedBy = new TreeMap<>();
    for (String name : resolver.options().excludes()) {
      wantedBy.put(name, new TreeSet<>());
    }
    for (Candidate candidate : chosen) {
      note(resolver, wantedBy, candidate, "Depends", candidate.dependencies());
      if (resolver.options().installRecommends()) {
        note(resolver, wantedBy, candidate, "Recommends", candidate.recommends());
      }
    }
    List<String> warnings = new ArrayList<>();
    wantedBy.forEach((name, dependents) -> warnings.add(
        dependents.isEmpty()
            ? "excluded package " + name + ": no chosen package depends on it"
            : "excluded package " + name + " left out although " + String.join("; ", dependents)
                + "; check that the image works without it"));
    return warnings;
  }

  private static void note(
      Resolver resolver, Map<String, TreeSet<String>> wantedBy, Candidate candidate, String field,
      List<List<PackageConstraint>> groups) {
    for (List<PackageConstraint> group : groups) {
      for (PackageConstraint constraint : group) {
        TreeSet<String> excluded = new TreeSet<>();
        if (!resolver.excludedCandidates(constraint.name()).isEmpty()) {
          excluded.add(constraint.name());
        }
        for (Provision provision : resolver.excludedProviders(constraint.name())) {
          excluded.add(provision.provider().name());
        }
        for (String name : excluded) {
          // Pre-Depends groups come first in dependencies() and are reported as Depends.
          wantedBy.get(name).add(
              candidate.describe() + " has '" + field + ": " + Relationship.formatGroup(group) + "'");
        }
      }
    }
  }
}
