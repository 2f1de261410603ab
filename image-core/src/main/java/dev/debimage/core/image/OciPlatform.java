package dev.debimage.core.image;

import dev.debimage.core.ImageBuildException;
import java.util.Optional;

/**
 * The OCI platform (GOARCH-style architecture and optional variant) of a Debian architecture.
 *
 * @param architecture the OCI architecture, such as {@code amd64} or {@code arm}
 * @param variant the CPU variant, such as {@code v7}, where OCI defines one for the architecture
 */
public record OciPlatform(String architecture, Optional<String> variant) {

  /**
   * Maps a Debian architecture name to its OCI platform, using the names that Docker and podman
   * use for Debian's official images.
   *
   * @throws ImageBuildException if the architecture has no OCI name here
   */
  public static OciPlatform fromDebian(String debianArchitecture) {
    return switch (debianArchitecture == null ? "" : debianArchitecture) {
      case "amd64" -> new OciPlatform("amd64", Optional.empty());
      case "arm64" -> new OciPlatform("arm64", Optional.of("v8"));
      case "armhf" -> new OciPlatform("arm", Optional.of("v7"));
      case "armel" -> new OciPlatform("arm", Optional.of("v5"));
      case "i386" -> new OciPlatform("386", Optional.empty());
      case "ppc64el" -> new OciPlatform("ppc64le", Optional.empty());
      case "s390x" -> new OciPlatform("s390x", Optional.empty());
      case "mips64el" -> new OciPlatform("mips64le", Optional.empty());
      case "riscv64" -> new OciPlatform("riscv64", Optional.empty());
      default -> throw new ImageBuildException(
          "unsupported architecture '" + debianArchitecture + "': use one of amd64, arm64, armhf,"
              + " armel, i386, ppc64el, s390x, mips64el, riscv64");
    };
  }
}
