package dev.debimage.core.image;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the platforms of a multi-architecture build, given as OCI platforms ({@code linux/arm64},
 * {@code linux/arm/v7}) or as Debian architecture names ({@code arm64}, {@code armhf}), into
 * Debian architecture names.
 */
public final class Platforms {

  private Platforms() {}

  /**
   * Returns the Debian architectures of {@code values}, in the order given. Each value may contain
   * several platforms separated by commas or white space.
   *
   * @throws ImageBuildException when a value names no supported platform, or two values name the
   *     same architecture
   */
  public static List<String> parse(List<String> values) {
    Set<String> architectures = new LinkedHashSet<>();
    for (String value : values) {
      if (value == null) {
        continue;
      }
      for (String word : value.split("[,\\s]+")) {
        if (word.isEmpty()) {
          continue;
        }
        String architecture = toDebianArchitecture(word);
        if (!architectures.add(architecture)) {
          throw new ImageBuildException(
              "platform '" + word + "' is listed twice (as Debian architecture " + architecture
                  + "): list each platform once");
        }
      }
    }
    return List.copyOf(new ArrayList<>(architectures));
  }

  /**
   * Returns the Debian architecture of one platform: an OCI platform {@code linux/ARCH[/VARIANT]}
   * or a Debian architecture name that {@link OciPlatform#fromDebian} maps.
   *
   * @throws ImageBuildException when the value names no supported platform
   */
  public static String toDebianArchitecture(String platform) {
    String text = platform == null ? "" : platform.strip().toLowerCase(Locale.ROOT);
    if (!text.contains("/")) {
      OciPlatform.fromDebian(text);
      return text;
    }
    String[] parts = text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || !parts[0].equals("linux")) {
      throw invalid(platform);
    }
    String variant = parts.length == 3 ? parts[2] : "";
    String architecture = switch (parts[1]) {
      case "amd64" -> variant.isEmpty() ? "amd64" : null;
      case "arm64" -> variant.isEmpty() || variant.equals("v8") ? "arm64" : null;
      case "arm" -> switch (variant) {
        case "v7", "" -> "armhf";
        case "v5" -> "armel";
        default -> null;
      };
      case "386" -> variant.isEmpty() ? "i386" : null;
      case "ppc64le" -> variant.isEmpty() ? "ppc64el" : null;
      case "s390x" -> variant.isEmpty() ? "s390x" : null;
      case "mips64le" -> variant.isEmpty() ? "mips64el" : null;
      case "riscv64" -> variant.isEmpty() ? "riscv64" : null;
      default -> null;
    };
    if (architecture == null) {
      throw invalid(platform);
    }
    return architecture;
  }

  /** Returns the OCI platform string of a Debian architecture, such as {@code linux/arm64/v8}. */
  public static String ociName(String debianArchitecture) {
    OciPlatform platform = OciPlatform.fromDebian(debianArchitecture);
    return "linux/" + platform.architecture() + platform.variant().map(variant -> "/" + variant).orElse("");
  }

  private static ImageBuildException invalid(String platform) {
    return new ImageBuildException(
        "unsupported platform '" + platform + "': use linux/amd64, linux/arm64, linux/arm/v7,"
            + " linux/arm/v5, linux/386, linux/ppc64le, linux/s390x, linux/mips64le or"
            + " linux/riscv64, or a Debian architecture name such as amd64 or arm64");
  }
}
