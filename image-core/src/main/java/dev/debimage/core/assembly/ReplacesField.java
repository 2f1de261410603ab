package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A package's {@code Replaces} field: which installed packages it may overwrite files of. */
final class ReplacesField {

  private static final Pattern RELATION = Pattern.compile(
      "([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9-]+)?\\s*(?:\\(\\s*(<<|<=|=|>=|>>)\\s*([^)\\s]+)\\s*\\))?");

  private record Relation(String name, String operator, String version) {}

  private final List<Relation> relations;

  private ReplacesField(List<Relation> relations) {
    this.relations = relations;
  }

  /** Parses a {@code Replaces} value such as {@code foo (<< 1.2-3), bar}; {@code where} names the package. */
  static ReplacesField parse(String value, String where) {
    List<Relation> relations = new ArrayList<>();
    for (String part : value.split(",")) {
      String relation = part.strip();
      if (relation.isEmpty()) {
        continue;
      }
      Matcher matcher = RELATION.matcher(relation);
      if (!matcher.matches()) {
        throw new ImageBuildException(
            "invalid Replaces relation '" + relation + "' in " + where
                + ": expected 'name' or 'name (op version)'");
      }
      relations.add(new Relation(matcher.group(1), matcher.group(2), matcher.group(3)));
    }
    return new ReplacesField(List.copyOf(relations));
  }

  /** Returns whether the field names {@code name} with a version constraint that {@code version} meets. */
  boolean replaces(String name, String version) {
    for (Relation relation : relations) {
      if (relation.name().equals(name)
          && (relation.operator() == null || satisfies(version, relation))) {
        return true;
      }
    }
    return false;
  }

  private static boolean satisfies(String version, Relation relation) {
    int order = DebianVersions.compare(version, relation.version());
    switch (relation.operator()) {
      case "<<":
        return order < 0;
      case "<=":
        return order <= 0;
      case "=":
        return order == 0;
      case ">=":
        return order >= 0;
      default:
        return order > 0;
    }
  }
}
