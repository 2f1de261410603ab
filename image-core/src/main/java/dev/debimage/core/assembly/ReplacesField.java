package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.resolution.PackageConstraint;
import dev.debimage.core.resolution.Relationship;
import java.util.List;

/** A package's {@code Replaces} field: which installed packages it may overwrite files of. */
final class ReplacesField {

  private final List<PackageConstraint> relations;

  private ReplacesField(List<PackageConstraint> relations) {
    this.relations = relations;
  }

  /** Parses a {@code Replaces} value such as {@code foo (<< 1.2-3), bar}; {@code where} names the package. */
  static ReplacesField parse(String value, String where) {
    Relationship relationship;
    try {
      relationship = Relationship.parse(value);
    } catch (ImageBuildException e) {
      throw new ImageBuildException("invalid Replaces field in " + where + ": " + e.getMessage(), e);
    }
    // Debian Policy 7.6 allows no alternatives in Replaces, so every group has one relation.
    return new ReplacesField(relationship.groups().stream().flatMap(List::stream).toList());
  }

  /** Returns whether the field names {@code name} with a version constraint that {@code version} meets. */
  boolean replaces(String name, String version) {
    return relations.stream()
        .anyMatch(relation -> relation.name().equals(name) && relation.satisfiedBy(version));
  }
}
