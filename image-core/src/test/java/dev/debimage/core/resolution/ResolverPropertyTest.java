package dev.debimage.core.resolution;

import static dev.debimage.core.resolution.ResolverTest.pkg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks the resolver against an exhaustive search on small random universes: it must succeed
 * exactly when some installable set exists, and what it returns must be installable.
 */
class ResolverPropertyTest {

  private static final long SEED = 4242L;
  private static final int UNIVERSES = 3000;
  private static final String[] NAMES = {"n0", "n1", "n2", "n3", "n4", "n5"};
  private static final String[] OPERATORS = {"<<", "<=", "=", ">=", ">>"};

  @Test
  void agreesWithExhaustiveSearch() {
    Random random = new Random(SEED);
    int solved = 0;
    for (int round = 0; round < UNIVERSES; round++) {
      List<BinaryPackage> universe = randomUniverse(random);
      List<String> requested = new ArrayList<>();
      int requestCount = 1 + random.nextInt(2);
      for (int i = 0; i < requestCount; i++) {
        BinaryPackage target = universe.get(random.nextInt(universe.size()));
        boolean pinned = random.nextInt(4) == 0;
        requested.add(pinned ? target.name() + "=" + target.version() : target.name());
      }
      if (pinsOneNameTwice(requested)) {
        continue;
      }
      StringBuilder description = new StringBuilder();
      universe.forEach(binary -> description.append(binary.stanza().format()).append('\n'));
      description.append("requested ").append(requested);

      boolean exists = existsInstallableSet(universe, requested);
      Resolution resolution = null;
      try {
        resolution = new Resolver(universe, "amd64").resolve(requested);
      } catch (ImageBuildException e) {
        if (exists) {
          fail("resolver failed but a solution exists: " + e.getMessage() + "\n" + description);
        }
        assertTrue(e.getMessage().startsWith("cannot resolve"), e.getMessage());
        continue;
      }
      assertTrue(exists, "resolver found a set where none should exist:\n" + description);
      assertEquals("", problems(resolution.packages(), requested), description.toString());
      solved++;
    }
    assertTrue(solved > UNIVERSES / 5, solved + " of " + UNIVERSES + " universes had a solution");
    assertTrue(solved < UNIVERSES * 4 / 5, solved + " of " + UNIVERSES + " universes had a solution");
  }

  /** Returns whether two requests pin one name, which the resolver rejects before resolving. */
  private static boolean pinsOneNameTwice(List<String> requested) {
    return requested.size() == 2
        && requested.get(0).contains("=")
        && requested.get(1).contains("=")
        && requested.get(0).split("=")[0].equals(requested.get(1).split("=")[0]);
  }

  private static List<BinaryPackage> randomUniverse(Random random) {
    List<BinaryPackage> universe = new ArrayList<>();
    for (String name : NAMES) {
      int versions = 1 + random.nextInt(2);
      int first = 1 + random.nextInt(2);
      for (int v = 0; v < versions; v++) {
        List<String> fields = new ArrayList<>();
        if (random.nextInt(3) > 0) {
          fields.add("Depends: " + randomGroups(random, 1 + random.nextInt(2), true));
        }
        if (random.nextInt(4) == 0) {
          String provided = "v" + random.nextInt(2);
          String version = random.nextBoolean() ? " (= " + (1 + random.nextInt(3)) + ")" : "";
          fields.add("Provides: " + provided + version);
        }
        if (random.nextInt(4) == 0) {
          String field = random.nextBoolean() ? "Conflicts: " : "Breaks: ";
          fields.add(field + randomGroups(random, 1, false));
        }
        universe.add(pkg(name, Integer.toString(first + v), fields.toArray(new String[0])));
      }
    }
    return universe;
  }

  private static String randomGroups(Random random, int count, boolean alternatives) {
    List<String> groups = new ArrayList<>();
    for (int g = 0; g < count; g++) {
      List<String> group = new ArrayList<>();
      int size = alternatives ? 1 + random.nextInt(2) : 1;
      for (int a = 0; a < size; a++) {
        // Real names, a name no package has, and two virtual names.
        int pick = random.nextInt(NAMES.length + 3);
        String name;
        if (pick < NAMES.length) {
          name = NAMES[pick];
        } else if (pick == NAMES.length) {
          name = "zz";
        } else {
          name = "v" + (pick - NAMES.length - 1);
        }
        String version = "";
        if (random.nextBoolean()) {
          String operator = OPERATORS[random.nextInt(OPERATORS.length)];
          version = " (" + operator + " " + (1 + random.nextInt(3)) + ")";
        }
        group.add(name + version);
      }
      groups.add(String.join(" | ", group));
    }
    return String.join(", ", groups);
  }

  /** Tries every choice of at most one version per name. */
  private static boolean existsInstallableSet(List<BinaryPackage> universe, List<String> requested) {
    List<List<BinaryPackage>> byName = new ArrayList<>();
    for (String name : NAMES) {
      byName.add(universe.stream().filter(p -> p.name().equals(name)).toList());
    }
    int combinations = 1;
    for (List<BinaryPackage> versions : byName) {
      combinations *= versions.size() + 1;
    }
    for (int code = 0; code < combinations; code++) {
      List<BinaryPackage> set = new ArrayList<>();
      int rest = code;
      for (List<BinaryPackage> versions : byName) {
        int choice = rest % (versions.size() + 1);
        rest /= versions.size() + 1;
        if (choice > 0) {
          set.add(versions.get(choice - 1));
        }
      }
      if (problems(set, requested).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Returns what makes {@code set} uninstallable for the requests, empty when nothing does. */
  private static String problems(List<BinaryPackage> set, List<String> requested) {
    StringBuilder problems = new StringBuilder();
    for (String request : requested) {
      String[] parts = request.split("=");
      boolean met;
      if (parts.length == 2) {
        DebianVersion pin = DebianVersion.parse(parts[1]);
        met =
            set.stream()
                .anyMatch(p -> p.name().equals(parts[0]) && DebianVersion.parse(p.version()).equals(pin));
      } else {
        met = meets(PackageConstraint.unversioned(parts[0]), set);
      }
      if (!met) {
        problems.append("request ").append(request).append(" not met; ");
      }
    }
    for (BinaryPackage binary : set) {
      for (List<PackageConstraint> group : relationship(binary, "Depends").groups()) {
        if (group.stream().noneMatch(constraint -> meets(constraint, set))) {
          problems.append(binary).append(" misses ").append(group).append("; ");
        }
      }
      for (String field : List.of("Conflicts", "Breaks")) {
        for (List<PackageConstraint> group : relationship(binary, field).groups()) {
          for (BinaryPackage other : set) {
            if (!other.name().equals(binary.name()) && hits(group.get(0), other)) {
              problems.append(binary).append(' ').append(field).append(' ').append(other).append("; ");
            }
          }
        }
      }
    }
    return problems.toString();
  }

  private static boolean meets(PackageConstraint constraint, List<BinaryPackage> set) {
    for (BinaryPackage binary : set) {
      if (binary.name().equals(constraint.name()) && constraint.satisfiedBy(binary.version())) {
        return true;
      }
      if (provides(binary, constraint)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hits(PackageConstraint constraint, BinaryPackage other) {
    if (other.name().equals(constraint.name()) && constraint.satisfiedBy(other.version())) {
      return true;
    }
    return provides(other, constraint);
  }

  /**
   * Returns whether a Provides entry of {@code binary} matches: any entry of the name for an
   * unversioned constraint, only a versioned entry that meets the relation otherwise.
   */
  private static boolean provides(BinaryPackage binary, PackageConstraint constraint) {
    for (List<PackageConstraint> provided : relationship(binary, "Provides").groups()) {
      PackageConstraint provision = provided.get(0);
      if (!provision.name().equals(constraint.name())) {
        continue;
      }
      if (!constraint.isVersioned()) {
        return true;
      }
      if (provision.isVersioned() && constraint.satisfiedBy(provision.version())) {
        return true;
      }
    }
    return false;
  }

  private static Relationship relationship(BinaryPackage binary, String field) {
    return Relationship.parse(binary.stanza().get(field, ""));
  }
}
