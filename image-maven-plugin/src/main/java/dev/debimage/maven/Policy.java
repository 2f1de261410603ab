package dev.debimage.maven;

import dev.debimage.core.policy.ImagePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** The {@code <policy>} of the pom: rules the image must satisfy, or the build fails. */
public class Policy {

  /** Packages that must not be installed, such as {@code bash}. */
  private List<String> forbiddenPackages = new ArrayList<>();

  /** Absolute paths that must not exist in the image, such as {@code /bin/sh}. */
  private List<String> forbiddenPaths = new ArrayList<>();

  /** Whether files with the setuid or setgid bit fail the build. */
  private boolean forbidSetuid;

  /** The maximum total size in bytes of the files in the packages layer, uncompressed. */
  private Long maxInstalledBytes;

  public List<String> getForbiddenPackages() {
    return forbiddenPackages;
  }

  public void setForbiddenPackages(List<String> forbiddenPackages) {
    this.forbiddenPackages = forbiddenPackages;
  }

  public List<String> getForbiddenPaths() {
    return forbiddenPaths;
  }

  public void setForbiddenPaths(List<String> forbiddenPaths) {
    this.forbiddenPaths = forbiddenPaths;
  }

  public boolean isForbidSetuid() {
    return forbidSetuid;
  }

  public void setForbidSetuid(boolean forbidSetuid) {
    this.forbidSetuid = forbidSetuid;
  }

  public Long getMaxInstalledBytes() {
    return maxInstalledBytes;
  }

  public void setMaxInstalledBytes(Long maxInstalledBytes) {
    this.maxInstalledBytes = maxInstalledBytes;
  }

  /** Returns the policy as image-core takes it, with blank list entries dropped and the rest stripped. */
  ImagePolicy toImagePolicy() {
    return new ImagePolicy(
        stripped(forbiddenPackages),
        stripped(forbiddenPaths),
        forbidSetuid,
        maxInstalledBytes == null ? OptionalLong.empty() : OptionalLong.of(maxInstalledBytes));
  }

  private static List<String> stripped(List<String> values) {
    List<String> result = new ArrayList<>();
    if (values != null) {
      values.stream().filter(value -> value != null && !value.isBlank()).map(String::strip).forEach(result::add);
    }
    return result;
  }
}
