package dev.debimage.core.image;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.ImageSpec;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The container settings written to the OCI image config.
 *
 * @param architecture the Debian architecture of the image, such as {@code amd64}
 * @param entrypoint the {@code Entrypoint}; empty leaves it unset
 * @param cmd the {@code Cmd}; empty leaves it unset
 * @param environment the environment, written sorted by name as {@code NAME=value}
 * @param user the {@code User}, a name or {@code uid[:gid]}
 * @param workingDirectory the {@code WorkingDir}, an absolute path
 * @param created the creation time of the image and of every history entry
 */
public record ImageConfig(
    String architecture,
    List<String> entrypoint,
    List<String> cmd,
    SortedMap<String, String> environment,
    String user,
    String workingDirectory,
    Instant created) {

  public ImageConfig {
    OciPlatform.fromDebian(architecture);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      String name = variable.getKey();
      if (name.isEmpty() || name.contains("=") || name.contains("\0")) {
        throw new ImageBuildException(
            "invalid environment variable name '" + name + "': use a non-empty name without '='");
      }
      if (variable.getValue() == null || variable.getValue().contains("\0")) {
        throw new ImageBuildException(
            "invalid value of environment variable '" + name + "': set a value without NUL characters");
      }
    }
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(created, "created");
  }

  /** Takes the container settings of a validated spec. */
  public static ImageConfig from(ImageSpec spec) {
    return new ImageConfig(
        spec.architecture(),
        spec.entrypoint(),
        spec.cmd(),
        new TreeMap<>(spec.environment()),
        spec.user(),
        spec.workingDirectory(),
        spec.timestamp());
  }
}
