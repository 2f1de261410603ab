package dev.debimage.core.resolution;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A binary package the resolver may choose, with its version parsed and its relationship fields
 * parsed on first use, because most of an archive's packages are never looked at.
 */
final class Candidate {

  /**
   * Orders candidates of one name newest first. The remaining keys only make the order total, so
   * that the same version from two suites is always taken from the same one.
   */
  static final Comparator<Candidate> NEWEST_FIRST =
      Comparator.comparing((Candidate candidate) -> candidate.version)
          .reversed()
          .thenComparing(candidate -> candidate.binary.suite(), Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(candidate -> candidate.binary.component(), Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(candidate -> candidate.binary.architecture())
          .thenComparing(candidate -> candidate.binary.version())
          .thenComparing(candidate -> candidate.binary.filename(), Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(candidate -> candidate.binary.sha256(), Comparator.nullsFirst(Comparator.naturalOrder()));

  /** A name this package provides, with the provided version or null when unversioned. */
  record Provision(String name, DebianVersion version, Candidate provider) {}

  /** A Conflicts or Breaks constraint, with the field it came from for error messages. */
  record Exclusion(String field, PackageConstraint constraint) {}

  final BinaryPackage binary;
  final DebianVersion version;
  private final String architecture;
  private List<List<PackageConstraint>> dependencies;
  private List<List<PackageConstraint>> recommends;
  private List<Exclusion> exclusions;
  private List<Provision> provisions;

  Candidate(BinaryPackage binary, String architecture) {
    this.binary = binary;
    this.architecture = architecture;
    try {
      this.version = DebianVersion.parse(binary.version());
    } catch (ImageBuildException e) {
      throw new ImageBuildException(
          "invalid Version of package " + binary.name() + " in " + origin() + ": "
              + e.getMessage(), e);
    }
  }

  String name() {
    return binary.name();
  }

  /** Returns the {@code Multi-Arch} field in lower case, {@code no} when absent. */
  String multiArch() {
    return binary.stanza().get("Multi-Arch", "no").strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the rank of the {@code Priority} field, lower for more important packages: required,
   * important, standard, optional, extra, then missing or unknown values.
   */
  int priorityRank() {
    switch (binary.stanza().get("Priority", "").strip().toLowerCase(Locale.ROOT)) {
      case "required":
        return 0;
      case "important":
        return 1;
      case "standard":
        return 2;
      case "optional":
        return 3;
      case "extra":
        return 4;
      default:
        return 5;
    }
  }

  /** Returns the groups of {@code Pre-Depends} followed by those of {@code Depends}. */
  List<List<PackageConstraint>> dependencies() {
    if (dependencies == null) {
      List<List<PackageConstraint>> groups = new ArrayList<>();
      groups.addAll(field("Pre-Depends").groups());
      groups.addAll(field("Depends").groups());
      dependencies = List.copyOf(groups);
    }
    return dependencies;
  }

  /** Returns the groups of {@code Recommends}. */
  List<List<PackageConstraint>> recommends() {
    if (recommends == null) {
      recommends = List.copyOf(field("Recommends").groups());
    }
    return recommends;
  }

  /** Returns every alternative of {@code Conflicts} and {@code Breaks}. */
  List<Exclusion> exclusions() {
    if (exclusions == null) {
      List<Exclusion> list = new ArrayList<>();
      for (String name : List.of("Conflicts", "Breaks")) {
        for (List<PackageConstraint> group : field(name).groups()) {
          for (PackageConstraint constraint : group) {
            list.add(new Exclusion(name, constraint));
          }
        }
      }
      exclusions = List.copyOf(list);
    }
    return exclusions;
  }

  /** Returns the names in {@code Provides}. */
  List<Provision> provisions() {
    if (provisions == null) {
      List<Provision> list = new ArrayList<>();
      for (List<PackageConstraint> group : field("Provides").groups()) {
        for (PackageConstraint constraint : group) {
          if (constraint.operator() != null && constraint.operator() != PackageConstraint.Operator.EQ) {
            throw new ImageBuildException(
                "invalid Provides of package " + describe() + ": '" + constraint
                    + "' uses a relation other than '='");
          }
          list.add(new Provision(constraint.name(), constraint.version(), this));
        }
      }
      provisions = List.copyOf(list);
    }
    return provisions;
  }

  /** Returns {@code name version}, as in error messages. */
  String describe() {
    return binary.name() + " " + binary.version();
  }

  /** Returns where the package came from, such as {@code bookworm/main}. */
  String origin() {
    if (binary.suite() == null) {
      return "an unnamed suite";
    }
    return binary.component() == null ? binary.suite() : binary.suite() + "/" + binary.component();
  }

  private Relationship field(String name) {
    String value = binary.stanza().get(name, "");
    try {
      return Relationship.parse(value, architecture);
    } catch (ImageBuildException e) {
      throw new ImageBuildException(
          "invalid " + name + " field of package " + describe() + " from " + origin() + ": "
              + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
