package dev.debimage.core.image;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.ImageSpec;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container settings written to the OCI image config, and the annotations written to the
 * manifest.
 *
 * @param architecture the Debian architecture of the image, such as {@code amd64}
 * @param entrypoint the {@code Entrypoint}; empty leaves it unset
 * @param cmd the {@code Cmd}; empty leaves it unset
 * @param environment the environment, written sorted by name as {@code NAME=value}
 * @param user the {@code User}, a name or {@code uid[:gid]}
 * @param workingDirectory the {@code WorkingDir}, an absolute path
 * @param created the creation time of the image and of every history entry
 * @param exposedPorts the {@code ExposedPorts} as {@code PORT/PROTOCOL}; a port given without a
 *     protocol gets {@code /tcp}
 * @param volumes the {@code Volumes}, absolute paths
 * @param labels the {@code Labels} of the config
 * @param stopSignal the {@code StopSignal}, such as {@code SIGTERM}; null leaves it unset
 * @param annotations the {@code annotations} of the manifest
 */
public record ImageConfig(
    String architecture,
    List<String> entrypoint,
    List<String> cmd,
    SortedMap<String, String> environment,
    String user,
    String workingDirectory,
    Instant created,
    SortedSet<String> exposedPorts,
    SortedSet<String> volumes,
    SortedMap<String, String> labels,
    String stopSignal,
    SortedMap<String, String> annotations) {

  private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:/(tcp|udp|sctp))?");
  private static final Pattern SIGNAL = Pattern.compile("SIG[A-Z0-9]+([+-][0-9]+)?|[0-9]{1,2}");

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
    exposedPorts = Collections.unmodifiableSortedSet(normalizePorts(exposedPorts));
    volumes = Collections.unmodifiableSortedSet(checkVolumes(volumes));
    labels = Collections.unmodifiableSortedMap(checkKeys(labels, "label"));
    annotations = Collections.unmodifiableSortedMap(checkKeys(annotations, "annotation"));
    if (stopSignal != null && !SIGNAL.matcher(stopSignal).matches()) {
      throw new ImageBuildException(
          "invalid stop signal '" + stopSignal + "': use a signal name such as SIGTERM or"
              + " SIGRTMIN+3, or a signal number");
    }
  }

  /** Creates settings without exposed ports, volumes, labels, stop signal or annotations. */
  public ImageConfig(
      String architecture,
      List<String> entrypoint,
      List<String> cmd,
      SortedMap<String, String> environment,
      String user,
      String workingDirectory,
      Instant created) {
    this(
        architecture, entrypoint, cmd, environment, user, workingDirectory, created,
        new TreeSet<>(), new TreeSet<>(), new TreeMap<>(), null, new TreeMap<>());
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
        spec.timestamp(),
        new TreeSet<>(spec.exposedPorts()),
        new TreeSet<>(spec.volumes()),
        new TreeMap<>(spec.labels()),
        spec.stopSignal().orElse(null),
        new TreeMap<>(spec.annotations()));
  }

  /** Returns these settings for another Debian architecture, as each image of a multi-platform build needs. */
  public ImageConfig withArchitecture(String otherArchitecture) {
    return new ImageConfig(
        otherArchitecture, entrypoint, cmd, environment, user, workingDirectory, created, exposedPorts,
        volumes, labels, stopSignal, annotations);
  }

  /** Returns the set of ports as {@code PORT/PROTOCOL}, adding {@code /tcp} where no protocol is given. */
  private static SortedSet<String> normalizePorts(Set<String> ports) {
    SortedSet<String> normalized = new TreeSet<>();
    for (String port : ports) {
      Matcher matcher = PORT.matcher(port == null ? "" : port);
      int number = matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
      if (number < 1 || number > 65535) {
        throw new ImageBuildException(
            "invalid exposed port '" + port + "': use a port number from 1 to 65535, optionally"
                + " followed by /tcp, /udp or /sctp, such as 8080 or 53/udp");
      }
      String protocol = matcher.group(2) == null ? "tcp" : matcher.group(2);
      normalized.add(number + "/" + protocol);
    }
    return normalized;
  }

  private static SortedSet<String> checkVolumes(Set<String> volumes) {
    SortedSet<String> checked = new TreeSet<>();
    for (String volume : volumes) {
      if (volume == null || !volume.startsWith("/") || volume.contains("\0")) {
        throw new ImageBuildException(
            "invalid volume '" + volume + "': use an absolute path in the image, such as /var/lib/app");
      }
      checked.add(volume);
    }
    return checked;
  }

  private static SortedMap<String, String> checkKeys(Map<String, String> entries, String kind) {
    SortedMap<String, String> checked = new TreeMap<>();
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      if (entry.getKey() == null || entry.getKey().isBlank()) {
        throw new ImageBuildException("invalid " + kind + " name '" + entry.getKey() + "': use a non-empty name");
      }
      if (entry.getValue() == null) {
        throw new ImageBuildException(
            "missing value of " + kind + " '" + entry.getKey() + "': set a value, or remove the " + kind);
      }
      checked.put(entry.getKey(), entry.getValue());
    }
    return checked;
  }
}
