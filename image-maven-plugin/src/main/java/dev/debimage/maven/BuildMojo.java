package dev.debimage.maven;

import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.hooks.MaintainerScriptMode;
import dev.debimage.core.image.BuildTimestamp;
import dev.debimage.core.image.ImageMetadata;
import dev.debimage.core.outputs.DockerConfigCredentials;
import dev.debimage.core.outputs.DockerDaemonLoader;
import dev.debimage.core.outputs.ImageReference;
import dev.debimage.core.outputs.ImageTags;
import dev.debimage.core.outputs.RegistryCredentials;
import dev.debimage.core.outputs.RegistryPusher;
import dev.debimage.core.policy.ImagePolicy;
import dev.debimage.core.spec.ImageSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipFile;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.License;
import org.apache.maven.model.Scm;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Builds a container image from Debian or Ubuntu packages and the project's classes and runtime
 * dependencies. Writes it under {@code target/image/} as an OCI layout ({@code oci/}) and a
 * docker-archive ({@code image.tar}), with the manifest digest ({@code digest}), the package report
 * ({@code packages.txt}, {@code packages.json}) and the SBOMs ({@code sbom.spdx.json}, {@code
 * sbom.cdx.json}). Pushes the image when {@code image} names a registry, and loads it into a Docker
 * daemon when one responds.
 */
@Mojo(
    name = "build",
    defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class BuildMojo extends AbstractImageMojo {

  /**
   * The class whose {@code main} method the image runs. Unset by default, so it is required
   * unless {@code entrypoint} is set.
   */
  @Parameter(property = "image.mainClass")
  private String mainClass;

  /** Options for the JVM, placed before the class path in the entrypoint. Empty by default. */
  @Parameter(property = "image.jvmFlags")
  private List<String> jvmFlags = new ArrayList<>();

  /**
   * The image's entrypoint, which replaces the {@code java} command derived from {@code
   * mainClass}. Empty by default, which means {@code java [jvmFlags] -cp CLASSPATH mainClass}.
   */
  @Parameter(property = "image.entrypoint")
  private List<String> entrypoint = new ArrayList<>();

  /** Arguments passed to the entrypoint, the image's {@code Cmd}. Empty by default. */
  @Parameter(property = "image.args")
  private List<String> args = new ArrayList<>();

  /**
   * Environment variables of the container, as {@code <NAME>value</NAME>}. Empty by default.
   * Unless it names {@code PATH}, the image's {@code PATH} is {@code
   * /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}.
   */
  @Parameter
  private Map<String, String> environment = new TreeMap<>();

  /** The image name and tag. */
  @Parameter(property = "image.image", defaultValue = "${project.artifactId}:${project.version}")
  private String image;

  /**
   * The user the container runs as: an account name or uid[:gid]. The image has the accounts
   * {@code root} (0), {@code nobody} (65534) and {@code nonroot} (65532).
   */
  @Parameter(property = "image.user", defaultValue = ImageSpec.DEFAULT_USER)
  private String user;

  /** The container's working directory. */
  @Parameter(property = "image.workingDirectory", defaultValue = "/")
  private String workingDirectory;

  /**
   * The directory that receives the outputs: {@code oci/}, {@code image.tar}, {@code digest},
   * {@code packages.txt}, {@code packages.json}, {@code sbom.spdx.json} and {@code sbom.cdx.json}.
   */
  @Parameter(property = "image.outputDirectory", defaultValue = "${project.build.directory}/image")
  private File outputDirectory;

  /**
   * The build timestamp, in ISO 8601 or seconds since the epoch: the image's creation time and the latest modification time of
   * its files. Maven's reproducible-builds property sets it; without it the {@code SOURCE_DATE_EPOCH}
   * environment variable is used, and without that the epoch.
   */
  @Parameter(property = "image.timestamp", defaultValue = "${project.build.outputTimestamp}")
  private String outputTimestamp;

  /**
   * Whether to install the packages listed in the lockfile ({@code image.lockfile}) when it
   * exists, instead of resolving them again, so that builds are repeatable until {@code
   * image:lock} runs again. The build fails when the packages, sources or architecture changed
   * since the lock was written.
   */
  @Parameter(property = "image.useLockfile", defaultValue = "true")
  private boolean useLockfile;

  /**
   * Whether the image records the archive state it was built from as {@code dev.debimage.*}
   * labels and annotations: the suites with the {@code Date} of each Release file, and the
   * lockfile's SHA-256 for a locked build.
   */
  @Parameter(property = "image.provenance", defaultValue = "false")
  private boolean provenance;

  /**
   * Rules the image must satisfy: {@code <forbiddenPackages>}, {@code <forbiddenPaths>}, {@code
   * <forbidSetuid>} and {@code <maxInstalledBytes>}. A violation fails the build and names the
   * requested package that pulled it in. Unset by default, which allows everything.
   */
  @Parameter
  private Policy policy;

  /**
   * Users added to the image, each with {@code <name>}, {@code <uid>}, and optionally {@code
   * <gid>}, {@code <home>} and {@code <shell>}. Empty by default.
   */
  @Parameter
  private List<User> users = new ArrayList<>();

  /**
   * Groups added to the image, each with {@code <name>}, {@code <gid>} and {@code <members>}.
   * Empty by default.
   */
  @Parameter
  private List<Group> groups = new ArrayList<>();

  /**
   * Directories, files, symbolic links and permission changes, applied in order after the
   * packages are assembled. Each {@code <path>} has a {@code <type>} ({@code directory}, {@code
   * file}, {@code symlink} or {@code permissions}) and a {@code <path>}. Empty by default.
   */
  @Parameter
  private List<ImagePath> paths = new ArrayList<>();

  /**
   * Ports the container listens on, such as {@code 8080} or {@code 53/udp}; no protocol means TCP.
   * Empty by default.
   */
  @Parameter(property = "image.ports")
  private List<String> ports = new ArrayList<>();

  /**
   * Absolute paths in the image that hold data kept outside the container, such as {@code /data}.
   * Empty by default.
   */
  @Parameter(property = "image.volumes")
  private List<String> volumes = new ArrayList<>();

  /**
   * Labels of the image config. They are added to the {@code org.opencontainers.image.*} labels
   * taken from the project, and replace those of the same name. Empty by default.
   */
  @Parameter
  private Map<String, String> labels = new TreeMap<>();

  /** The signal that stops the container, such as {@code SIGTERM}; unset leaves it to the runtime. */
  @Parameter(property = "image.stopSignal")
  private String stopSignal;

  /**
   * Whether to push the image when {@code image} starts with a registry host (a first component
   * with a {@code .} or {@code :}, or {@code localhost}). In offline mode only registries on
   * {@code localhost}, {@code 127.0.0.1} or {@code [::1]} are pushed to. Credentials come from the
   * {@code settings.xml} server whose id is the registry host (with its port, if any), or else from
   * the Docker config file ({@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}):
   * its {@code credHelpers} or {@code credsStore} credential helper, else its {@code auths} entry.
   */
  @Parameter(property = "image.push", defaultValue = "true")
  private boolean push;

  /**
   * Registries, as {@code HOST} or {@code HOST:PORT}, that may be reached over plain HTTP when they
   * do not accept HTTPS. Defaults to {@code localhost} and {@code 127.0.0.1}, and a non-empty list
   * replaces both.
   */
  @Parameter(property = "image.allowInsecureRegistries")
  private List<String> allowInsecureRegistries;

  /**
   * More tags for the image, under the name of {@code image}, such as {@code latest}. The OCI
   * layout, the docker-archive, the push and the load use every tag; {@code digest} is unchanged.
   * The property takes a comma-separated list. Empty by default.
   */
  @Parameter(property = "image.tags")
  private List<String> tags;

  /**
   * Whether to load the image into a Docker daemon with {@code docker load}: {@code auto} loads when
   * {@code dockerExecutable} is found and its daemon responds and skips quietly otherwise, {@code true}
   * fails the build when it cannot load, and {@code false} never loads. The Docker CLI reaches the
   * daemon that {@code DOCKER_HOST} or the current docker context names, and the load is skipped
   * when the daemon already has the image under every tag.
   */
  @Parameter(property = "image.load", defaultValue = "auto")
  private String load;

  /** The Docker CLI that loads the image: a path, or a name looked up on the {@code PATH}. */
  @Parameter(property = "image.dockerExecutable", defaultValue = "docker")
  private String dockerExecutable;


  /** The time zone that /etc/localtime names when tzdata is installed, such as Europe/Berlin. */
  @Parameter(property = "image.timezone", defaultValue = "Etc/UTC")
  private String timezone;

  /**
   * The compression of every layer blob: {@code gzip}, which every runtime reads, or {@code zstd}
   * (media type {@code application/vnd.oci.image.layer.v1.tar+zstd}), which is smaller and faster
   * to unpack but needs a runtime that reads zstd layers.
   */
  @Parameter(property = "image.compression", defaultValue = "gzip")
  private String compression;

  /**
   * The size, in MiB, of a package's files from which it gets a layer of its own instead of
   * sharing the {@code packages} layer, such as a Java runtime. The largest packages get their own
   * layers first, while the package layers number at most {@code maxPackageLayers}.
   */
  @Parameter(property = "image.packageLayerBudget", defaultValue = "16")
  private long packageLayerBudget;

  /**
   * The maximum number of layers of installed packages, at least 3: base, packages and the dpkg
   * database, plus one for each large package.
   */
  @Parameter(property = "image.maxPackageLayers", defaultValue = "8")
  private int maxPackageLayers;

  /**
   * dpkg path filters, each {@code path-exclude=GLOB} or {@code path-include=GLOB}, applied in
   * order, the last matching one deciding. Unset or empty means the default set, which drops
   * documentation, manual pages and translations but keeps copyright files. The single filter
   * {@code path-include=/*} keeps every file.
   */
  @Parameter(property = "image.pathFilters")
  private List<String> pathFilters;

  /**
   * Customize hooks: executable files run on the build host after the packages are unpacked,
   * each as {@code HOOK ROOT}, where ROOT is a temporary copy of the image's root directory, in
   * list order. Empty by default. Changed files are owned by root and get the build timestamp.
   */
  @Parameter(property = "image.customizeHooks")
  private List<File> customizeHooks = new ArrayList<>();

  /**
   * Whether the packages' maintainer scripts run for real with {@code dpkg --configure -a} in a
   * chroot: {@code off} (the default) produces their effects natively, {@code root} needs the
   * build to run as root, {@code unshare} uses a user namespace, and {@code auto} picks one of
   * them. The package set needs dpkg and a shell.
   */
  @Parameter(property = "image.maintainerScripts", defaultValue = "off")
  private String maintainerScripts;


  /**
   * Whether to attach {@code image.tar} to the project as an artifact of type {@code tar} with the
   * classifier {@code classifier}, so that {@code mvn install} and {@code mvn deploy} publish it.
   */
  @Parameter(property = "image.attach", defaultValue = "false")
  private boolean attach;

  /** The classifier of the attached {@code image.tar}; used only when {@code attach} is true. */
  @Parameter(property = "image.classifier", defaultValue = "image")
  private String classifier;

  @Parameter(defaultValue = "${settings}", readonly = true, required = true)
  private Settings settings;

  @Component
  private SettingsDecrypter settingsDecrypter;

  @Component
  private MavenProjectHelper projectHelper;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip()) {
      getLog().info("Skipping the image build (image.skip)");
      return;
    }
    long startNanos = System.nanoTime();
    long cpuAtStart = processCpuNanos();
    try {
      DockerDaemonLoader.Mode loadMode = DockerDaemonLoader.Mode.parse(load);
      DockerDaemonLoader loader = new DockerDaemonLoader(listener(), dockerExecutable);
      if (loadMode == DockerDaemonLoader.Mode.TRUE) {
        // A missing CLI is known before the build, so the build need not run to fail on it.
        loader.requireExecutable();
      }
      ImageSpec spec = toSpec();
      BuildResult result = new ImageBuilder(listener()).build(spec);
      printSummary(result, startNanos, cpuAtStart);
      pushIfRegistryNamed(result);
      loader.load(result.outputDirectory(), imageTags(), loadMode);
      attachIfRequested(result);
    } catch (ImageBuildException e) {
      throw new MojoFailureException(ParameterHints.withParameter(e.getMessage()), e);
    }
  }

  /** Maps the configuration onto the spec that {@link #execute()} builds; package-private for tests. */
  ImageSpec toSpec() throws MojoFailureException {
    ImageSpec.Builder builder = packageSpec();
    if (useLockfile) {
      builder.lockfile(lockfile().toPath());
    }
    builder.provenance(provenance);

    Path classes = Path.of(project().getBuild().getOutputDirectory());
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
    // Maven injects an empty list for a list parameter with a user property that is not set.
    if (pathFilters != null && !pathFilters.isEmpty()) {
      builder.pathFilters(pathFilters);
    }
    customizeHooks.forEach(hook -> builder.addCustomizeHook(hook.toPath()));
    builder.maintainerScripts(MaintainerScriptMode.parse(maintainerScripts));
    ports.forEach(builder::exposePort);
    volumes.forEach(builder::addVolume);
    addProjectMetadata(builder, parseTimestamp(outputTimestamp));
    labels.forEach(builder::label);
    users.forEach(account -> builder.addUser(account.toUserAccount()));
    groups.forEach(group -> builder.addGroup(group.toGroupAccount()));
    paths.forEach(path -> builder.addPath(path.toDirective()));
    return builder
        .timezone(timezone)
        .layerCompression(compression)
        .packageLayering(packageLayerBytes(), maxPackageLayers)
        .stopSignal(stopSignal == null || stopSignal.isBlank() ? null : stopSignal.strip())
        .user(user)
        .workingDirectory(workingDirectory)
        .imageReference(image)
        .additionalTags(tags == null ? List.of() : tags)
        .timestamp(parseTimestamp(outputTimestamp))
        .outputDirectory(outputDirectory.toPath())
        .policy(policy != null ? policy.toImagePolicy() : ImagePolicy.NONE)
        .build();
  }

  /** Pushes the written OCI layout when the image reference names a registry and pushing is on. */
  private void pushIfRegistryNamed(BuildResult result) throws MojoFailureException {
    ImageTags imageTags = imageTags();
    ImageReference reference = imageTags.primary();
    Optional<String> registry = reference.registry();
    if (registry.isEmpty()) {
      return;
    }
    if (!push) {
      getLog().info("Not pushing " + reference + " (image.push is false)");
      return;
    }
    if (session().isOffline() && !isLoopback(registry.get())) {
      getLog().warn("Not pushing " + reference + " in offline mode: run without -o to push");
      return;
    }
    List<String> insecure =
        // Maven injects an empty list when the parameter is absent, so empty means the default.
        allowInsecureRegistries == null || allowInsecureRegistries.isEmpty()
            ? List.copyOf(RegistryPusher.DEFAULT_INSECURE_REGISTRIES)
            : allowInsecureRegistries;
    RegistryPusher pusher =
        new RegistryPusher(listener(), insecure, credentials(registry.get()));
    RegistryPusher.Result pushed = pusher.push(outputDirectory.toPath().resolve("oci"), imageTags);
    if (!pushed.manifestDigest().equals(result.manifestDigest())) {
      throw new MojoFailureException(
          "pushed manifest " + pushed.manifestDigest() + " differs from the built " + result.manifestDigest()
              + ": another build replaced " + outputDirectory + "/oci meanwhile; build again");
    }
    getLog().info(String.format(
        "Pushed %s: %d blobs uploaded, %d already in the registry",
        imageTags, pushed.uploaded().size(), pushed.existing().size()));
  }

  /** Returns {@code image} with the additional {@code tags}. */
  private ImageTags imageTags() {
    return ImageTags.parse(image, tags == null ? List.of() : tags);
  }

  /** Attaches the docker-archive to the project when {@code attach} is set. */
  private void attachIfRequested(BuildResult result) throws MojoFailureException {
    if (!attach) {
      return;
    }
    if (classifier == null || classifier.isBlank()) {
      throw new MojoFailureException(
          "missing <classifier>: set the classifier of the attached image.tar, such as image,"
              + " or set <attach> to false");
    }
    File archive = result.outputDirectory().resolve("image.tar").toFile();
    projectHelper.attachArtifact(project(), "tar", classifier.strip(), archive);
    getLog().info("Attached " + archive + " as " + project().getArtifactId() + "-"
        + project().getVersion() + "-" + classifier.strip() + ".tar");
  }

  /** Returns whether a registry host runs on this machine, which offline mode may still reach. */
  private static boolean isLoopback(String registry) {
    String host = registry.replaceFirst(":[0-9]+$", "");
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
  }

  /** Looks up the registry's credentials in settings.xml, then in the Docker config file. */
  private Optional<RegistryCredentials> credentials(String registry) throws MojoFailureException {
    Server server = settings.getServer(registry);
    if (server != null) {
      SettingsDecryptionResult decrypted =
          settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      for (SettingsProblem problem : decrypted.getProblems()) {
        if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
          throw new MojoFailureException(
              "failed to decrypt the password of server '" + registry + "' in settings.xml: "
                  + problem.getMessage() + ". Check settings-security.xml or the encrypted password");
        }
      }
      Server plain = decrypted.getServer();
      if (plain.getUsername() == null || plain.getPassword() == null) {
        throw new MojoFailureException(
            "server '" + registry + "' in settings.xml has no <username> or <password>: set both"
                + " to push to " + registry);
      }
      getLog().debug("Using credentials of server " + registry + " from settings.xml");
      return Optional.of(new RegistryCredentials(plain.getUsername(), plain.getPassword()));
    }
    Path dockerConfig = DockerConfigCredentials.defaultConfigFile();
    Optional<RegistryCredentials> fromDocker = DockerConfigCredentials.find(dockerConfig, registry);
    if (fromDocker.isPresent()) {
      getLog().debug("Using credentials for " + registry + " from " + dockerConfig);
    }
    return fromDocker;
  }

  /**
   * Writes the project's name, description, version, licenses, URL and source control location as
   * {@code org.opencontainers.image.*} annotations of the manifest and labels of the config.
   */
  private void addProjectMetadata(ImageSpec.Builder builder, Instant created) {
    Scm scm = project().getScm();
    String revision = scm == null ? null : scm.getTag();
    ImageMetadata metadata =
        new ImageMetadata(
            project().getModel().getName() != null ? project().getModel().getName() : project().getArtifactId(),
            project().getDescription(),
            project().getVersion(),
            licenses(),
            project().getUrl(),
            scm == null ? null : scm.getUrl(),
            // Maven fills in HEAD when the pom names no tag, which names no revision.
            "HEAD".equals(revision) ? null : revision);
    metadata.annotations(created).forEach((key, value) -> {
      builder.annotation(key, value);
      builder.label(key, value);
    });
  }

  /** Returns the project's license names joined as an SPDX expression that allows any of them. */
  // NOTE: the names are written as the pom gives them; only SPDX identifiers make a valid expression.
  private String licenses() {
    List<String> names = new ArrayList<>();
    for (License license : project().getLicenses()) {
      if (license.getName() != null && !license.getName().isBlank()) {
        names.add(license.getName().strip());
      }
    }
    return names.isEmpty() ? null : String.join(" OR ", names);
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
    for (Artifact artifact : project().getArtifacts()) {
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
    for (Artifact artifact : project().getArtifacts()) {
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

  /**
   * Returns the build timestamp: Maven's {@code project.build.outputTimestamp} (ISO 8601, or
   * seconds since the epoch), else the {@code SOURCE_DATE_EPOCH} environment variable, else the
   * epoch.
   */
  static Instant parseTimestamp(String value) throws MojoFailureException {
    try {
      return BuildTimestamp.resolve(value, System.getenv());
    } catch (ImageBuildException e) {
      String source = e.getMessage().startsWith("invalid build timestamp")
          ? " (set by the plugin's <outputTimestamp> or -Dimage.timestamp, which default to the"
              + " project.build.outputTimestamp property)"
          : "";
      throw new MojoFailureException(e.getMessage() + source, e);
    }
  }

  /** Returns {@code packageLayerBudget} in bytes. */
  private long packageLayerBytes() throws MojoFailureException {
    if (packageLayerBudget < 1 || packageLayerBudget > (Long.MAX_VALUE >> 20)) {
      throw new MojoFailureException(
          "invalid <packageLayerBudget> " + packageLayerBudget + ": set a positive size in MiB, such as 16");
    }
    return packageLayerBudget << 20;
  }

  /**
   * Returns the CPU time this JVM has used, in nanoseconds, or -1 when the JVM does not report it.
   * It covers every thread, so the figure for a build includes the compression threads, the JIT
   * compiler and the garbage collector.
   */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean system = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return system instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getProcessCpuTime() : -1;
  }

  /**
   * Logs what the build did. The times cover this goal from its start, reading the configuration
   * included, which is what the rebuild benchmark in docs/benchmarks.md reads.
   */
  private void printSummary(BuildResult result, long startNanos, long cpuAtStart) {
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
    getLog().info("Image " + imageTags() + " " + result.manifestDigest());
    long cpuAtEnd = processCpuNanos();
    String cpu = cpuAtStart < 0 || cpuAtEnd < 0
        ? ""
        : String.format(Locale.ROOT, " (%.2f s of CPU)", (cpuAtEnd - cpuAtStart) / 1e9);
    getLog().info("Wrote " + result.outputDirectory() + " in "
        + String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - startNanos) / 1e9) + cpu);
  }

  static String humanSize(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
