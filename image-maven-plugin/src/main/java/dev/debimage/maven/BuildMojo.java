package dev.debimage.maven;

import dev.debimage.core.BuildListener;
import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.policy.ImagePolicy;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipFile;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Builds a container image from Debian or Ubuntu packages and the project's classes and runtime
 * dependencies, and writes it under {@code target/image/}: an OCI layout ({@code oci/}), a
 * docker-archive ({@code image.tar}), the manifest digest ({@code digest}) and the package list
 * ({@code packages.txt}).
 */
@Mojo(
    name = "build",
    defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class BuildMojo extends AbstractMojo {

  /**
   * Package sources. When empty, the build host's apt sources are used
   * ({@code /etc/apt/sources.list} and {@code /etc/apt/sources.list.d/}).
   */
  @Parameter
  private List<Source> sources = new ArrayList<>();

  /** Debian packages to install, with their dependencies, such as {@code openjdk-17-jre-headless}. */
  @Parameter(property = "image.packages")
  private List<String> packages = new ArrayList<>();

  /** The class whose {@code main} method the image runs. Required unless {@code entrypoint} is set. */
  @Parameter(property = "image.mainClass")
  private String mainClass;

  /** Options for the JVM, placed before the class path in the entrypoint. */
  @Parameter(property = "image.jvmFlags")
  private List<String> jvmFlags = new ArrayList<>();

  /** The image's entrypoint; replaces the {@code java} command derived from {@code mainClass}. */
  @Parameter(property = "image.entrypoint")
  private List<String> entrypoint = new ArrayList<>();

  /** Arguments passed to the entrypoint. */
  @Parameter(property = "image.args")
  private List<String> args = new ArrayList<>();

  /** Environment variables of the container. */
  @Parameter
  private Map<String, String> environment = new TreeMap<>();

  /** The image name and tag. */
  @Parameter(property = "image.image", defaultValue = "${project.artifactId}:${project.version}")
  private String image;

  /** The Debian architecture of the image. */
  @Parameter(property = "image.architecture", defaultValue = "amd64")
  private String architecture;

  /** The user the container runs as: an account name or uid[:gid]. */
  @Parameter(property = "image.user", defaultValue = ImageSpec.DEFAULT_USER)
  private String user;

  /** The container's working directory. */
  @Parameter(property = "image.workingDirectory", defaultValue = "/")
  private String workingDirectory;

  /** The directory that receives {@code oci/}, {@code image.tar}, {@code digest} and {@code packages.txt}. */
  @Parameter(property = "image.outputDirectory", defaultValue = "${project.build.directory}/image")
  private File outputDirectory;

  /**
   * The cache of indexes and packages shared by all builds. Defaults to
   * {@code $XDG_CACHE_HOME/debimage}, or {@code ~/.cache/debimage}.
   */
  @Parameter(property = "image.cacheDirectory")
  private File cacheDirectory;

  /**
   * The build timestamp, in ISO 8601: the image's creation time and the latest modification time of
   * its files. Maven's reproducible-builds property sets it; without it the epoch is used.
   */
  @Parameter(property = "image.timestamp", defaultValue = "${project.build.outputTimestamp}")
  private String outputTimestamp;

  /**
   * Rules the image must satisfy: {@code <forbiddenPackages>}, {@code <forbiddenPaths>}, {@code
   * <forbidSetuid>} and {@code <maxInstalledBytes>}. A violation fails the build and names the
   * requested package that pulled it in.
   */
  @Parameter
  private Policy policy;

  /** Skips the goal. */
  @Parameter(property = "image.skip", defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping the image build (image.skip)");
      return;
    }
    try {
      ImageSpec spec = toSpec();
      BuildResult result = new ImageBuilder(new MavenLogListener(getLog())).build(spec);
      printSummary(result);
    } catch (ImageBuildException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
  }

  private ImageSpec toSpec() throws MojoFailureException {
    ImageSpec.Builder builder = ImageSpec.builder();
    for (int i = 0; i < sources.size(); i++) {
      builder.addSource(toSourceSpec(sources.get(i), i + 1));
    }
    packages.forEach(builder::addPackage);

    Path classes = Path.of(project.getBuild().getOutputDirectory());
    JavaApplicationLayout layout = new JavaApplicationLayout(classes, runtimeDependencies());
    layout.layers().forEach(builder::addApplicationLayer);
    runtimeArtifacts().forEach(artifact -> builder.addApplicationDependency(
        artifact.getGroupId() + ":" + artifact.getArtifactId() + ":" + artifact.getVersion()));

    if (!entrypoint.isEmpty()) {
      builder.entrypoint(entrypoint);
    } else {
      builder.entrypoint(javaEntrypoint(classes, layout));
    }
    builder.cmd(args);
    environment.forEach(builder::environment);
    return builder
        .architecture(architecture)
        .user(user)
        .workingDirectory(workingDirectory)
        .imageReference(image)
        .timestamp(parseTimestamp(outputTimestamp))
        .outputDirectory(outputDirectory.toPath())
        .cacheDirectory(
            cacheDirectory != null ? cacheDirectory.toPath() : ImageSpec.defaultCacheDirectory())
        .offline(session.isOffline())
        .policy(policy != null ? policy.toImagePolicy() : ImagePolicy.NONE)
        .build();
  }

  private List<String> javaEntrypoint(Path classes, JavaApplicationLayout layout)
      throws MojoFailureException {
    if (mainClass == null || mainClass.isBlank()) {
      throw new MojoFailureException(
          "missing <mainClass>: set it to the class whose main method the image runs,"
              + " for example <mainClass>com.example.Main</mainClass>, or set <entrypoint>");
    }
    if (!mainClassExists(classes)) {
      throw new MojoFailureException(
          "main class '" + mainClass + "' not found in " + classes
              + " or in the runtime dependencies: check <mainClass> (a fully qualified class name"
              + " such as com.example.Main) and that the project compiles before the image goal runs");
    }
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(layout.classpath());
    command.add(mainClass);
    return command;
  }

  private boolean mainClassExists(Path classes) throws MojoFailureException {
    String entry = mainClass.replace('.', '/') + ".class";
    if (Files.isRegularFile(classes.resolve(entry))) {
      return true;
    }
    for (Artifact artifact : project.getArtifacts()) {
      File file = artifact.getFile();
      if (file == null || !file.getName().endsWith(".jar")) {
        continue;
      }
      try (ZipFile jar = new ZipFile(file)) {
        if (jar.getEntry(entry) != null) {
          return true;
        }
      } catch (IOException e) {
        throw new MojoFailureException("failed to read the dependency " + file + ": " + e.getMessage(), e);
      }
    }
    return false;
  }

  /**
   * Returns the compile and runtime dependencies in class path order. A file name that two
   * dependencies share gets the group ID as a prefix, as Jib does.
   */
  private List<JavaApplicationLayout.Dependency> runtimeDependencies() {
    List<Artifact> artifacts = runtimeArtifacts();
    Map<String, Integer> nameCounts = new TreeMap<>();
    artifacts.forEach(artifact -> nameCounts.merge(fileName(artifact), 1, Integer::sum));

    List<JavaApplicationLayout.Dependency> dependencies = new ArrayList<>();
    for (Artifact artifact : artifacts) {
      String name = fileName(artifact);
      if (nameCounts.get(name) > 1) {
        name = artifact.getGroupId() + "-" + name;
      }
      dependencies.add(
          new JavaApplicationLayout.Dependency(artifact.getFile().toPath(), name, artifact.isSnapshot()));
    }
    return dependencies;
  }

  /** Returns the compile and runtime dependencies that go on the class path, in class path order. */
  private List<Artifact> runtimeArtifacts() {
    List<Artifact> artifacts = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      String scope = artifact.getScope();
      if (artifact.getFile() != null
          && artifact.getArtifactHandler().isAddedToClasspath()
          && (Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope))) {
        artifacts.add(artifact);
      }
    }
    return artifacts;
  }

  private static String fileName(Artifact artifact) {
    String classifier = artifact.getClassifier() == null ? "" : "-" + artifact.getClassifier();
    return artifact.getArtifactId() + "-" + artifact.getVersion() + classifier + "."
        + artifact.getArtifactHandler().getExtension();
  }

  private static SourceSpec toSourceSpec(Source source, int position) throws MojoFailureException {
    String origin = "<sources> entry " + position + " of the pom";
    List<String> uris = words(source.getUris());
    List<String> suites = words(source.getSuites());
    List<String> components = words(source.getComponents());
    if (uris.isEmpty()) {
      throw new MojoFailureException("missing <uris> in " + origin + ": set the archive URL, such as http://MIRROR/debian");
    }
    if (suites.isEmpty()) {
      throw new MojoFailureException("missing <suites> in " + origin + ": set one or more suites, such as bookworm bookworm-updates");
    }
    if (components.isEmpty()) {
      throw new MojoFailureException("missing <components> in " + origin + ": set one or more components, such as main");
    }
    List<URI> parsed = new ArrayList<>();
    for (String uri : uris) {
      try {
        URI value = new URI(uri);
        if (value.getScheme() == null) {
          throw new URISyntaxException(uri, "no scheme");
        }
        parsed.add(value);
      } catch (URISyntaxException e) {
        throw new MojoFailureException(
            "invalid URI '" + uri + "' in <uris> of " + origin + ": use an http, https or file URL");
      }
    }
    Optional<String> signedBy =
        source.getSignedBy() == null || source.getSignedBy().isBlank()
            ? Optional.empty()
            : Optional.of(source.getSignedBy().strip());
    return new SourceSpec(parsed, suites, components, List.of(), signedBy, origin);
  }

  private static List<String> words(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.asList(value.strip().split("\\s+"));
  }

  /** Parses Maven's {@code project.build.outputTimestamp}: ISO 8601, or seconds since the epoch. */
  static Instant parseTimestamp(String value) throws MojoFailureException {
    if (value == null || value.isBlank() || value.equals("${project.build.outputTimestamp}")) {
      return Instant.EPOCH;
    }
    String text = value.strip();
    if (text.matches("\\d+")) {
      return Instant.ofEpochSecond(Long.parseLong(text));
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new MojoFailureException(
          "invalid build timestamp '" + value + "' (project.build.outputTimestamp): use ISO 8601,"
              + " such as 2026-01-01T00:00:00Z, or seconds since the epoch");
    }
  }

  private void printSummary(BuildResult result) {
    getLog().info(
        String.format(
            "Packages: %d resolved, %d downloaded (%s), %d from the cache",
            result.packages().size(),
            result.downloaded(),
            humanSize(result.bytesDownloaded()),
            result.cached()));
    for (BuildResult.LayerSummary layer : result.layers()) {
      getLog().info(String.format("Layer %-22s %10s  %s", layer.name(), humanSize(layer.size()), layer.digest()));
    }
    getLog().info("Image " + result.imageReference() + " " + result.manifestDigest());
    getLog().info("Wrote " + result.outputDirectory() + " in "
        + String.format("%.1f s", result.elapsed().toMillis() / 1000.0));
  }

  static String humanSize(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format("%.1f KiB", bytes / 1024.0);
    }
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** Sends build events to Maven's log. */
  private static final class MavenLogListener implements BuildListener {
    private final org.apache.maven.plugin.logging.Log log;

    MavenLogListener(org.apache.maven.plugin.logging.Log log) {
      this.log = log;
    }

    @Override
    public void info(String message) {
      log.info(message);
    }

    @Override
    public void warn(String message) {
      log.warn(message);
    }

    @Override
    public void debug(String message) {
      log.debug(message);
    }
  }
}
