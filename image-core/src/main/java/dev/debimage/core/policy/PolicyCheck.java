package dev.debimage.core.policy;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.report.ImageReport;
import dev.debimage.core.report.InstalledPackage;
import dev.debimage.core.report.LayerContents;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks an image against an {@link ImagePolicy} and traces each violation back, through the
 * resolver's reasons, to the requested package that pulled it in.
 */
public final class PolicyCheck {

  private static final int SETUID_SETGID = 06000;
  private static final int MAX_PACKAGES_SHOWN = 5;
  // Paths such as /etc/passwd that the build writes itself are in no dpkg file list.
  private static final String NO_OWNER = ", which no package's file list names";

  private final Map<String, InstalledPackage> packages = new TreeMap<>();
  // The paths of the package layers are read only by the rules that need them.
  private final ImageReport report;

  private PolicyCheck(ImageReport report) {
    report.packages().forEach(pkg -> packages.put(pkg.name(), pkg));
    this.report = report;
  }

  private LayerContents layer() {
    return report.packagesLayer();
  }

  /**
   * Checks {@code report} against {@code policy}.
   *
   * @throws ImageBuildException listing every violation and the packages that pulled it in
   */
  public static void enforce(ImagePolicy policy, ImageReport report) {
    List<PolicyViolation> violations = check(policy, report);
    if (violations.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("the image violates its policy (")
        .append(violations.size()).append(violations.size() == 1 ? " violation" : " violations").append("):");
    violations.forEach(violation -> message.append("\n  - ").append(violation.describe()));
    message.append("\nRemove the requested packages that pull these in, or change <policy>");
    throw new ImageBuildException(message.toString());
  }

  /** Returns the violations of {@code policy}, in the order of its rules. */
  public static List<PolicyViolation> check(ImagePolicy policy, ImageReport report) {
    PolicyCheck check = new PolicyCheck(report);
    List<PolicyViolation> violations = new ArrayList<>();
    for (String name : policy.forbiddenPackages()) {
      if (check.packages.containsKey(name)) {
        violations.add(new PolicyViolation("forbidden package", name, List.of(check.chain(name))));
      }
    }
    for (String path : policy.forbiddenPaths()) {
      Optional<LayerContents.Entry> entry = check.layer().find(path);
      if (entry.isPresent()) {
        List<String> chains = check.ownerChains(entry.get().path());
        String subject = path + describeEntry(entry.get()) + (chains.isEmpty() ? NO_OWNER : "");
        violations.add(new PolicyViolation("forbidden path", subject, chains));
      }
    }
    if (policy.forbidSetuid()) {
      for (LayerContents.Entry entry : check.layer().entries().values()) {
        boolean file = entry.type() == LayerContents.Type.REGULAR || entry.type() == LayerContents.Type.HARD_LINK;
        if (file && (entry.mode() & SETUID_SETGID) != 0) {
          List<String> chains = check.ownerChains(entry.path());
          String subject = "/" + entry.path() + " (mode " + String.format("%04o", entry.mode()) + ")"
              + (chains.isEmpty() ? NO_OWNER : "");
          violations.add(new PolicyViolation("setuid file", subject, chains));
        }
      }
    }
    if (policy.maxInstalledBytes().isPresent() && check.layer().fileBytes() > policy.maxInstalledBytes().getAsLong()) {
      String subject = check.layer().fileBytes() + " bytes of files, above the maximum of "
          + policy.maxInstalledBytes().getAsLong() + " bytes";
      violations.add(new PolicyViolation("installed size", subject, check.largestPackages()));
    }
    return violations;
  }

  private static String describeEntry(LayerContents.Entry entry) {
    return switch (entry.type()) {
      case SYMLINK -> " (a symbolic link to " + entry.linkTarget() + ")";
      case DIRECTORY -> " (a directory)";
      default -> "";
    };
  }

  private List<String> ownerChains(String path) {
    return layer().owners(path).stream()
        .filter(packages::containsKey)
        .map(this::chain)
        .collect(Collectors.toList());
  }

  /** Returns the largest packages by {@code Installed-Size}: {@code 3000 KiB passwd <- app (requested)}. */
  private List<String> largestPackages() {
    return packages.values().stream()
        .filter(pkg -> pkg.installedSize().isPresent())
        .sorted(Comparator.comparingLong((InstalledPackage pkg) -> pkg.installedSize().getAsLong()).reversed()
            .thenComparing(InstalledPackage::name))
        .limit(MAX_PACKAGES_SHOWN)
        .map(pkg -> pkg.installedSize().getAsLong() + " KiB " + chain(pkg.name()))
        .collect(Collectors.toList());
  }

  /**
   * Returns how {@code name} came in, following the reasons up to a requested package: {@code
   * libz <- libstdc++6 <- openjdk-17-jre-headless (requested)}.
   */
  String chain(String name) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String current = name;
    while (current != null && seen.add(current)) {
      names.add(current);
      InstalledPackage pkg = packages.get(current);
      if (pkg == null) {
        return String.join(" <- ", names) + " (not installed)";
      }
      if (pkg.requested()) {
        return String.join(" <- ", names) + " (requested)";
      }
      current = pkg.neededBy().orElse(null);
    }
    return String.join(" <- ", names);
  }
}
