package dev.debimage.core.outputs;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a build's docker-archive into a Docker daemon through the {@code docker} CLI, which reaches
 * the daemon that {@code DOCKER_HOST} or the current docker context names. The load is skipped when
 * the daemon already has the image under every tag, which costs one {@code docker image inspect},
 * and for a multi-platform build also a {@code docker version}.
 */
public final class DockerDaemonLoader {

  /** When to load the image. */
  public enum Mode {
    /** Load when a docker executable is found and its daemon responds, and skip otherwise. */
    AUTO,
    /** Load, and fail when there is no docker executable or no daemon. */
    TRUE,
    /** Never load. */
    FALSE;

    /**
     * Parses {@code auto}, {@code true} or {@code false}, ignoring case.
     *
     * @throws ImageBuildException for any other value
     */
    public static Mode parse(String value) {
      String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
      return switch (text) {
        case "auto", "" -> AUTO;
        case "true" -> TRUE;
        case "false" -> FALSE;
        default -> throw new ImageBuildException(
            "invalid <load> value '" + value + "': use auto (load when a Docker daemon responds),"
                + " true (always load) or false (never load)");
      };
    }
  }

  /** The result of a call to {@link #load}. */
  public enum Outcome {
    /** The archive was loaded into the daemon. */
    LOADED,
    /** The daemon already had the image under every tag. */
    UP_TO_DATE,
    /** Nothing was loaded: loading is off, or there was no docker executable or no daemon. */
    SKIPPED
  }

  /** How long a query of the daemon may take; a load itself has no time limit. */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(20);

  private Duration queryTimeout = QUERY_TIMEOUT;

  private final BuildListener listener;
  private final String executable;
  private final String searchPath;
  private final Map<String, String> environment;

  /**
   * Creates a loader that runs {@code executable}: a path, or a name looked up on the {@code PATH}.
   */
  public DockerDaemonLoader(BuildListener listener, String executable) {
    this(listener, executable, Optional.ofNullable(System.getenv("PATH")).orElse(""), Map.of());
  }

  /**
   * Creates a loader with its own {@code PATH} and extra environment variables for the CLI, such as
   * {@code DOCKER_HOST}.
   */
  public DockerDaemonLoader(
      BuildListener listener, String executable, String searchPath, Map<String, String> environment) {
    if (executable == null || executable.isBlank()) {
      throw new ImageBuildException(
          "missing <dockerExecutable>: name the Docker CLI, such as docker or /usr/bin/docker");
    }
    this.listener = listener;
    this.executable = executable.strip();
    this.searchPath = searchPath;
    this.environment = Map.copyOf(environment);
  }

  /** Sets how long a query of the daemon may take, so that tests need not wait 20 s. */
  DockerDaemonLoader queryTimeout(Duration timeout) {
    this.queryTimeout = timeout;
    return this;
  }

  /**
   * Returns the docker executable: the configured path when it names one, else the first match of
   * the name on the {@code PATH}, or empty when none is an executable file.
   */
  public Optional<Path> findExecutable() {
    if (executable.contains("/")) {
      Path path = Path.of(executable);
      return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    for (String directory : searchPath.split(":")) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, executable);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the docker executable.
   *
   * @throws ImageBuildException naming the executable and the fix when there is none
   */
  public Path requireExecutable() {
    return findExecutable().orElseThrow(() -> new ImageBuildException(
        "cannot load the image into Docker: no executable '" + executable + "' found"
            + (executable.contains("/") ? "" : " on the PATH") + ". Install the Docker CLI, set"
            + " <dockerExecutable> to its path, or set <load> to auto or false"));
  }

  /**
   * Loads the docker-archive of the build in {@code outputDirectory} into the Docker daemon under
   * every one of {@code tags}, unless the daemon already has it. For a build for several platforms,
   * the archive of the daemon's architecture is loaded.
   *
   * @throws ImageBuildException in mode {@code TRUE} when no docker executable or no daemon is found
   *     or no platform matches the daemon's, and in every mode when {@code docker load} fails
   */
  public Outcome load(Path outputDirectory, ImageTags tags, Mode mode) {
    if (mode == Mode.FALSE) {
      listener.debug("Not loading the image into Docker (load is false)");
      return Outcome.SKIPPED;
    }
    Optional<Path> found = findExecutable();
    if (found.isEmpty()) {
      if (mode == Mode.TRUE) {
        requireExecutable();
      }
      listener.debug("Not loading the image into Docker: no executable '" + executable + "' on the PATH");
      return Outcome.SKIPPED;
    }
    if (mode == Mode.AUTO && isBinary(found.get()) && noDaemonConfigured(effectiveEnvironment(), DEFAULT_SOCKETS)) {
      listener.debug("Not loading the image into Docker: DOCKER_HOST and DOCKER_CONTEXT are unset, the"
          + " docker config selects no context, and neither " + DEFAULT_SOCKETS.get(0) + " nor "
          + DEFAULT_SOCKETS.get(1) + " exists");
      return Outcome.SKIPPED;
    }
    DockerCommand docker = new DockerCommand(found.get(), environment);
    List<LoadableArchive> archives = LoadableArchive.read(outputDirectory);
    boolean onePlatform = archives.size() == 1 && archives.get(0).architecture().isEmpty();

    // For one platform, one inspect decides a rebuild that changed nothing, because querying the
    // daemon's platform with docker version can take longer than the inspect itself.
    try {
      if (onePlatform && hasImage(docker, archives, tags)) {
        listener.info("Docker already has " + tags + "; not loading it again");
        return Outcome.UP_TO_DATE;
      }
    } catch (DockerCommand.TimedOut e) {
      if (mode == Mode.TRUE) {
        throw e;
      }
      listener.info("Not loading the image into Docker: " + e.getMessage());
      return Outcome.SKIPPED;
    }
    Optional<String> daemonPlatform = daemonPlatform(docker, mode);
    if (daemonPlatform.isEmpty()) {
      return Outcome.SKIPPED;
    }
    Optional<LoadableArchive> chosen = choose(archives, daemonPlatform.get(), mode);
    if (chosen.isEmpty()) {
      return Outcome.SKIPPED;
    }
    LoadableArchive archive = chosen.get();

    // For several platforms, only the image of the daemon's platform counts: the tags may name
    // another platform's image, such as one loaded from image-arm64.tar to run it under emulation.
    if (!onePlatform && hasImage(docker, List.of(archive), tags)) {
      listener.info("Docker already has " + tags + "; not loading it again");
      return Outcome.UP_TO_DATE;
    }

    DockerCommand.Result loaded = docker.run(List.of("load"), Optional.of(archive.archive()), Optional.empty());
    if (!loaded.succeeded()) {
      throw new ImageBuildException(
          "failed to load " + archive.archive() + " into Docker: '" + loaded.command() + "' exited with "
              + loaded.exitCode() + ": " + loaded.stderrText() + ". Check the Docker daemon's log, or set"
              + " <load> to false");
    }
    loaded.stdout().lines().filter(line -> !line.isBlank()).forEach(line -> listener.info("docker load: " + line));
    loaded.stderr().lines().filter(line -> !line.isBlank()).forEach(line -> listener.debug("docker load: " + line));
    tagMissing(docker, archive, tags);
    listener.info("Loaded " + tags + " into Docker from " + archive.archive().getFileName());
    return Outcome.LOADED;
  }

  /** The socket of the Docker CLI's default context, under both names that /var/run and /run give it. */
  private static final List<Path> DEFAULT_SOCKETS = List.of(Path.of("/var/run/docker.sock"), Path.of("/run/docker.sock"));

  /**
   * Returns whether the Docker CLI would find no daemon without being asked: no {@code DOCKER_HOST}
   * or {@code DOCKER_CONTEXT}, no {@code currentContext} in the CLI's {@code config.json} (under
   * {@code DOCKER_CONFIG}, or else {@code ~/.docker}), and none of {@code sockets} exists. Checking
   * this costs no process, where the two CLI calls that find no daemon take about 70 ms.
   */
  static boolean noDaemonConfigured(Map<String, String> environment, List<Path> sockets) {
    if (!environment.getOrDefault("DOCKER_HOST", "").isBlank()
        || !environment.getOrDefault("DOCKER_CONTEXT", "").isBlank()) {
      return false;
    }
    String configDirectory = environment.getOrDefault("DOCKER_CONFIG", "");
    Path config = configDirectory.isBlank()
        ? Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json")
        : Path.of(configDirectory, "config.json");
    try {
      if (Files.isRegularFile(config) && Files.readString(config).contains("\"currentContext\"")) {
        return false;
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return sockets.stream().noneMatch(Files::exists);
  }

  /**
   * Returns whether {@code executable} is a compiled program rather than a script. A script named
   * docker, such as podman-docker's, may reach an engine without any socket, so only the real CLI
   * is judged by {@link #noDaemonConfigured}.
   */
  private static boolean isBinary(Path executable) {
    try (InputStream in = Files.newInputStream(executable)) {
      byte[] start = in.readNBytes(2);
      return !(start.length == 2 && start[0] == '#' && start[1] == '!');
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns the environment the CLI runs with: the build's, with this loader's extra variables on top. */
  private Map<String, String> effectiveEnvironment() {
    Map<String, String> all = new HashMap<>(System.getenv());
    all.putAll(environment);
    return all;
  }

  /**
   * Returns the daemon's {@code OS/ARCH}, such as {@code linux/amd64}, or empty in mode {@code AUTO}
   * when no daemon responds.
   */
  private Optional<String> daemonPlatform(DockerCommand docker, Mode mode) {
    DockerCommand.Result version;
    try {
      version = docker.run(
          List.of("version", "--format", "{{.Server.Os}}/{{.Server.Arch}}"), Optional.empty(), Optional.of(queryTimeout));
    } catch (ImageBuildException e) {
      if (mode == Mode.TRUE) {
        throw e;
      }
      listener.info("Not loading the image into Docker: " + e.getMessage());
      return Optional.empty();
    }
    String platform = version.stdout().strip();
    if (version.succeeded() && platform.matches("[a-z0-9]+/[a-z0-9]+")) {
      listener.debug("Docker daemon platform: " + platform);
      return Optional.of(platform);
    }
    String problem = "'" + version.command() + "' exited with " + version.exitCode() + ": " + version.stderrText();
    if (mode == Mode.TRUE) {
      throw new ImageBuildException(
          "cannot load the image into Docker: no Docker daemon responded; " + problem + ". Start the"
              + " Docker daemon, point DOCKER_HOST or the docker context at a running one, or set <load>"
              + " to auto or false");
    }
    listener.info("Not loading the image into Docker: no Docker daemon responded (" + firstLine(version.stderrText()) + ")");
    return Optional.empty();
  }

  /**
   * Returns the archive to load: the only one of a build for one platform, whatever the daemon's
   * architecture, or else the one whose architecture is the daemon's.
   */
  private Optional<LoadableArchive> choose(List<LoadableArchive> archives, String daemonPlatform, Mode mode) {
    String daemonArchitecture = daemonPlatform.substring(daemonPlatform.indexOf('/') + 1);
    if (archives.size() == 1 && archives.get(0).architecture().isEmpty()) {
      return chooseSingle(archives.get(0), daemonPlatform, daemonArchitecture, mode);
    }
    List<String> built = new ArrayList<>();
    for (LoadableArchive archive : archives) {
      String architecture = archive.architecture().orElse("");
      if (architecture.equals(daemonArchitecture)) {
        return Optional.of(archive);
      }
      built.add(architecture);
    }
    String message = "the Docker daemon runs on " + daemonPlatform + ", but the image was built for "
        + String.join(", ", built);
    if (mode == Mode.TRUE) {
      throw new ImageBuildException(
          "cannot load the image into Docker: " + message + ". Add linux/" + daemonArchitecture
              + " to <platforms>, or set <load> to auto or false");
    }
    listener.warn("Not loading the image into Docker: " + message);
    return Optional.empty();
  }

  /**
   * Returns the archive of a build for one platform. An image of another architecture would replace
   * the daemon's native image under the same tags, so {@code AUTO} skips it with a warning, and
   * {@code TRUE}, an explicit request, loads it with one.
   */
  private Optional<LoadableArchive> chooseSingle(
      LoadableArchive archive, String daemonPlatform, String daemonArchitecture, Mode mode) {
    if (archive.imageArchitecture().isEmpty() || archive.imageArchitecture().equals(daemonArchitecture)) {
      return Optional.of(archive);
    }
    String message = "the image is built for " + archive.imageArchitecture() + " and the Docker daemon runs on "
        + daemonPlatform;
    if (mode == Mode.TRUE) {
      listener.warn("Loading the image into Docker although " + message + ": it runs only under emulation there");
      return Optional.of(archive);
    }
    listener.warn("Not loading the image into Docker: " + message + ". Set <load> to true to load it anyway");
    return Optional.empty();
  }

  /**
   * Returns whether the daemon has an image under every tag and each is an image of {@code
   * archives}: its ID is the config digest (classic image store) or the manifest digest (containerd
   * image store).
   * Any daemon or inspect failure returns false.
   */
  private boolean hasImage(DockerCommand docker, List<LoadableArchive> archives, ImageTags tags) {
    List<String> ids = imageIds(docker, tags.references());
    if (ids.size() != tags.references().size()) {
      return false;
    }
    Set<String> accepted = new HashSet<>();
    for (LoadableArchive archive : archives) {
      accepted.add(archive.configDigest());
      accepted.add(archive.manifestDigest());
    }
    return ids.stream().allMatch(accepted::contains);
  }

  /** Returns the image IDs of {@code references}, or fewer when the daemon lacks one of them. */
  private List<String> imageIds(DockerCommand docker, List<ImageReference> references) {
    List<String> arguments = new ArrayList<>(List.of("image", "inspect", "--format", "{{.Id}}"));
    references.forEach(reference -> arguments.add(reference.toString()));
    DockerCommand.Result inspect;
    try {
      inspect = docker.run(arguments, Optional.empty(), Optional.of(queryTimeout));
    } catch (DockerCommand.TimedOut e) {
      // A daemon that does not respond to an inspect would not respond to the next command either.
      throw e;
    } catch (ImageBuildException e) {
      listener.debug(e.getMessage());
      return List.of();
    }
    if (!inspect.succeeded()) {
      listener.debug("'" + inspect.command() + "' exited with " + inspect.exitCode() + ": " + inspect.stderrText());
      return List.of();
    }
    return inspect.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }

  /**
   * Tags the loaded image under each reference that the daemon does not show as this image, because
   * a daemon that reads the archive as an OCI archive may take only one name from it.
   */
  // NOTE: podman 4.3's Docker API service names the image under every tag of the archive, so there
  // this step only runs the one inspect.
  private void tagMissing(DockerCommand docker, LoadableArchive archive, ImageTags tags) {
    if (hasImage(docker, List.of(archive), tags)) {
      return;
    }
    Set<String> accepted = Set.of(archive.configDigest(), archive.manifestDigest());
    for (ImageReference reference : tags.references()) {
      List<String> ids = imageIds(docker, List.of(reference));
      if (ids.size() == 1 && accepted.contains(ids.get(0))) {
        continue;
      }
      listener.debug("Docker did not name the loaded image " + reference + "; tagging it");
      DockerCommand.Result tagged = docker.run(
          List.of("tag", archive.configDigest(), reference.toString()), Optional.empty(), Optional.of(queryTimeout));
      if (!tagged.succeeded()) {
        throw new ImageBuildException(
            "failed to tag the loaded image as " + reference + ": '" + tagged.command() + "' exited with "
                + tagged.exitCode() + ": " + tagged.stderrText() + ". Check the Docker daemon's log");
      }
      listener.info("Tagged " + archive.configDigest() + " as " + reference + " in Docker");
    }
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("").strip();
  }
}
