package dev.debimage.core.resolution;

/**
 * Matches a Debian architecture against a name or wildcard from an architecture restriction, such
 * as {@code amd64}, {@code any}, {@code linux-any} or {@code any-arm64}.
 */
final class ArchitectureWildcard {

  private ArchitectureWildcard() {}

  /**
   * Returns whether {@code architecture} matches {@code pattern}. An architecture without a hyphen
   * such as {@code amd64} runs on Linux, so it matches {@code linux-any} and {@code any-amd64};
   * {@code kfreebsd-amd64} and {@code hurd-i386} name their kernel before the CPU.
   *
   * <p>NOTE: this takes the name itself as the CPU, so {@code armhf} and {@code armel} do not match
   * {@code any-arm}, although dpkg maps both to the {@code arm} CPU.
   */
  static boolean matches(String pattern, String architecture) {
    if (pattern.equals("any") || pattern.equals(architecture)) {
      return true;
    }
    String os;
    String cpu;
    int hyphen = architecture.indexOf('-');
    if (hyphen < 0) {
      os = "linux";
      cpu = architecture;
    } else {
      os = architecture.substring(0, hyphen);
      cpu = architecture.substring(hyphen + 1);
    }
    if (pattern.endsWith("-any")) {
      return pattern.substring(0, pattern.length() - "-any".length()).equals(os);
    }
    if (pattern.startsWith("any-")) {
      return pattern.substring("any-".length()).equals(cpu);
    }
    return false;
  }
}
