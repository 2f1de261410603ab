package dev.debimage.core.spec;

import dev.debimage.core.fetch.ProxySettings;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.assembly.AssemblyOptions;
import dev.debimage.core.assembly.GroupAccount;
import dev.debimage.core.assembly.ImageShape;
import dev.debimage.core.assembly.PathDirective;
import dev.debimage.core.assembly.UserAccount;
import dev.debimage.core.assembly.PathFilters;
import dev.debimage.core.assembly.TimeZoneConfig;
import dev.debimage.core.hooks.MaintainerScriptMode;
import dev.debimage.core.hooks.MultistrapScripts;
import dev.debimage.core.hooks.ScriptSettings;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.image.Platforms;
import dev.debimage.core.outputs.ImageTags;
import dev.debimage.core.policy.ImagePolicy;
import dev.debimage.core.layers.LayerCompression;
import dev.debimage.core.layers.PackageLayering;
import dev.debimage.core.resolution.ResolveOptions;
import dev.debimage.core.resolution.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a build needs: where packages come from, which packages to install, the application
 * layers and the container settings. Built with {@link #builder()}; {@link Builder#build()}
 * validates every value and names the one at fault.
 */
public final class ImageSpec {

  /** The account that images run as unless {@link Builder#user(String)} names another. */
  public static final String DEFAULT_USER = "nonroot";

  /** The {@code PATH} of images whose spec sets none: the one Docker and podman use by default. */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final List<SourceSpec> sources;
  private final List<String> packages;
  private final String architecture;
  private final List<ApplicationLayer> applicationLayers;
  private final List<String> entrypoint;
  private final List<String> cmd;
  private final Map<String, String> environment;
  private final String user;
  private final String workingDirectory;
  private final Instant timestamp;
  private final String imageReference;
  private final List<String> additionalTags;
  private final Path outputDirectory;
  private final Path cacheDirectory;
  private final boolean offline;
  private final Optional<ProxySettings> proxySettings;
  private final Path lockfile;
  private final List<PackageSelector> packageSelectors;
  private final ResolveOptions resolveOptions;
  private final String timezone;
  private final LayerCompression layerCompression;
  private final PackageLayering packageLayering;
  private final List<String> pathFilters;
  private final Set<String> exposedPorts;
  private final Set<String> volumes;
  private final Map<String, String> labels;
  private final String stopSignal;
  private final Map<String, String> annotations;
  private final List<String> applicationDependencies;
  private final ImagePolicy policy;
  private final boolean provenance;
  private final List<Path> customizeHooks;
  private final MaintainerScriptMode maintainerScripts;
  private final MultistrapScripts multistrapScripts;
  private final ImageShape shape;
  private final List<String> platforms;

  private ImageSpec(Builder builder) {
    this.sources = List.copyOf(builder.sources);
    this.packages = List.copyOf(builder.packages);
    this.platforms = builder.platformArchitectures.isEmpty()
        ? List.of(builder.architecture)
        : builder.platformArchitectures;
    this.architecture = platforms.get(0);
    this.applicationLayers = List.copyOf(builder.applicationLayers);
    this.entrypoint = List.copyOf(builder.entrypoint);
    this.cmd = List.copyOf(builder.cmd);
    Map<String, String> environment = new LinkedHashMap<>(builder.environment);
    environment.putIfAbsent("PATH", DEFAULT_PATH);
    this.environment = Map.copyOf(environment);
    this.user = builder.user;
    this.workingDirectory = builder.workingDirectory;
    this.timestamp = builder.timestamp;
    this.imageReference = builder.imageReference;
    this.additionalTags = List.copyOf(builder.additionalTags);
    this.outputDirectory = builder.outputDirectory;
    this.cacheDirectory = builder.cacheDirectory;
    this.offline = builder.offline;
    this.proxySettings = Optional.ofNullable(builder.proxySettings);
    this.lockfile = builder.lockfile;
    this.packageSelectors = List.copyOf(builder.packageSelectors);
    this.resolveOptions = builder.resolveOptions;
    this.timezone = builder.timezone;
    this.layerCompression = builder.layerCompression;
    this.packageLayering = builder.packageLayering;
    this.pathFilters = List.copyOf(builder.pathFilters);
    this.exposedPorts = Set.copyOf(builder.exposedPorts);
    this.volumes = Set.copyOf(builder.volumes);
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(builder.labels));
    this.stopSignal = builder.stopSignal;
    this.annotations = Collections.unmodifiableMap(new LinkedHashMap<>(builder.annotations));
    this.applicationDependencies = List.copyOf(builder.applicationDependencies);
    this.policy = builder.policy;
    this.provenance = builder.provenance;
    this.customizeHooks = List.copyOf(builder.customizeHooks);
    this.maintainerScripts = builder.maintainerScripts;
    this.multistrapScripts = builder.multistrapScripts;
    this.shape = new ImageShape(builder.users, builder.groups, builder.paths);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Package sources; empty means the build host's apt sources. */
  public List<SourceSpec> sources() {
    return sources;
  }

  /** Requested packages, as names or {@code name=version}. */
  public List<String> packages() {
    return packages;
  }

  /**
   * The Debian architecture of the image, such as {@code amd64} or {@code arm64}; for a build for
   * several platforms, the first of {@link #platforms()}.
   */
  public String architecture() {
    return architecture;
  }

  /**
   * Returns the Debian architectures to build an image for, in order, such as {@code [amd64,
   * arm64]}. The list contains only {@link #architecture()} unless {@link Builder#platforms(List)}
   * set several. With more than one, the build writes an OCI image index.
   */
  public List<String> platforms() {
    return platforms;
  }

  public List<ApplicationLayer> applicationLayers() {
    return applicationLayers;
  }

  public List<String> entrypoint() {
    return entrypoint;
  }

  public List<String> cmd() {
    return cmd;
  }

  /**
   * Environment of the container, sorted by name when written to the image config. {@code PATH}
   * defaults to {@link #DEFAULT_PATH} when the spec does not set it.
   */
  public Map<String, String> environment() {
    return environment;
  }

  public String user() {
    return user;
  }

  public String workingDirectory() {
    return workingDirectory;
  }

  /** The build timestamp: the image's creation time and the latest modification time of any file. */
  public Instant timestamp() {
    return timestamp;
  }

  /** The image name and tag, such as {@code example/hello:1.0}, written to the image metadata. */
  public String imageReference() {
    return imageReference;
  }

  /** Returns the tags, besides the image reference's own, under which the image is written, loaded and pushed. */
  public List<String> additionalTags() {
    return additionalTags;
  }

  public Path outputDirectory() {
    return outputDirectory;
  }

  /** The per-user cache of indexes and packages, shared by all builds. */
  public Path cacheDirectory() {
    return cacheDirectory;
  }

  /** Whether to build from the cache alone, without network access. */
  public boolean offline() {
    return offline;
  }

  /**
   * The HTTP proxies for downloads; empty means the {@code http_proxy}, {@code https_proxy} and
   * {@code no_proxy} environment variables.
   */
  public Optional<ProxySettings> proxySettings() {
    return proxySettings;
  }

  /**
   * The lockfile to build from when it exists, such as {@code image.lock.json} next to the pom;
   * empty means always resolve from the indexes.
   */
  public Optional<Path> lockfile() {
    return Optional.ofNullable(lockfile);
  }

  /** Selections that add package requests once the package indexes are loaded. */
  public List<PackageSelector> packageSelectors() {
    return packageSelectors;
  }

  /**
   * Returns the variant, Recommends, excludes and suite preference of the resolution; {@link
   * ResolveOptions#DEFAULT} unless set.
   */
  public ResolveOptions resolveOptions() {
    return resolveOptions;
  }

  /**
   * A rule that chooses packages from the loaded indexes, such as every package with {@code
   * Priority: required}. The build requests them together with {@link #packages()}.
   */
  public interface PackageSelector {

    /** Returns the names of the packages to request, chosen from every package of the sources. */
    List<String> select(List<BinaryPackage> available);

    /** Describes the selection for the build log, such as {@code Priority: required packages}. */
    String description();
  }

  /** Returns the zone that {@code /etc/localtime} names when tzdata is installed, {@code Etc/UTC} by default. */
  public String timezone() {
    return timezone;
  }

  /** Returns the compression of the layer blobs, gzip by default. */
  public LayerCompression layerCompression() {
    return layerCompression;
  }

  /** Returns how the installed packages are split into layers, {@link PackageLayering#DEFAULT} by default. */
  public PackageLayering packageLayering() {
    return packageLayering;
  }

  /**
   * Returns the dpkg path filters, as {@code path-exclude=GLOB} and {@code path-include=GLOB} lines;
   * by default {@link PathFilters#APPLICATION_DEFAULT_LINES}.
   */
  public List<String> pathFilters() {
    return pathFilters;
  }

  /** Ports the container listens on, as {@code PORT} or {@code PORT/PROTOCOL}. */
  public Set<String> exposedPorts() {
    return exposedPorts;
  }

  /** Absolute paths in the image that hold data kept outside the container. */
  public Set<String> volumes() {
    return volumes;
  }

  /** Labels of the image config. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The signal that stops the container, such as {@code SIGTERM}; empty leaves it to the runtime. */
  public Optional<String> stopSignal() {
    return Optional.ofNullable(stopSignal);
  }

  /** Annotations of the image manifest. */
  public Map<String, String> annotations() {
    return annotations;
  }

  /**
   * The application's Maven dependencies as {@code groupId:artifactId:version}, listed in the SBOMs
   * beside the Debian packages.
   */
  public List<String> applicationDependencies() {
    return applicationDependencies;
  }

  /** The rules the image must satisfy, {@link ImagePolicy#NONE} unless set. */
  public ImagePolicy policy() {
    return policy;
  }

  /**
   * Whether the image records the suites, their Release file dates and the lockfile's SHA-256 as
   * {@code dev.debimage.*} labels and annotations.
   */
  public boolean provenance() {
    return provenance;
  }

  /**
   * Returns the scripts that run on the build host, in list order, after the packages are
   * unpacked. Each gets the root directory of the assembled tree as its argument. Empty by default.
   */
  public List<Path> customizeHooks() {
    return customizeHooks;
  }

  /** Returns whether and how the packages' maintainer scripts run, {@link MaintainerScriptMode#OFF} by default. */
  public MaintainerScriptMode maintainerScripts() {
    return maintainerScripts;
  }

  /** Returns the scripts that a multistrap configuration names, {@link MultistrapScripts#NONE} by default. */
  public MultistrapScripts multistrapScripts() {
    return multistrapScripts;
  }

  /** Returns every script setting together, as the tree customization takes them. */
  public ScriptSettings scriptSettings() {
    return new ScriptSettings(customizeHooks, maintainerScripts, multistrapScripts);
  }

  /** Returns the users, groups and path changes that the project adds to the root filesystem. */
  public ImageShape shape() {
    return shape;
  }

  /** Returns the default cache directory: {@code $XDG_CACHE_HOME/debimage} or {@code ~/.cache/debimage}. */
  public static Path defaultCacheDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("debimage");
  }

  /** Collects and validates the settings of an {@link ImageSpec}. */
  public static final class Builder {
    private final List<SourceSpec> sources = new ArrayList<>();
    private final List<String> packages = new ArrayList<>();
    private String architecture = "amd64";
    private final List<ApplicationLayer> applicationLayers = new ArrayList<>();
    private final List<String> entrypoint = new ArrayList<>();
    private final List<String> cmd = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String user = DEFAULT_USER;
    private String workingDirectory = "/";
    private Instant timestamp = Instant.EPOCH;
    private String imageReference;
    private final List<String> additionalTags = new ArrayList<>();
    private Path outputDirectory;
    private Path cacheDirectory = defaultCacheDirectory();
    private boolean offline;
    private ProxySettings proxySettings;
    private Path lockfile;
    private final List<PackageSelector> packageSelectors = new ArrayList<>();
    private ResolveOptions resolveOptions = ResolveOptions.DEFAULT;
    private String timezone = AssemblyOptions.DEFAULT_TIMEZONE;
    private LayerCompression layerCompression = LayerCompression.GZIP;
    private PackageLayering packageLayering = PackageLayering.DEFAULT;
    private final List<String> pathFilters = new ArrayList<>(PathFilters.APPLICATION_DEFAULT_LINES);
    private final Set<String> exposedPorts = new LinkedHashSet<>();
    private final Set<String> volumes = new LinkedHashSet<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String stopSignal;
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final List<String> applicationDependencies = new ArrayList<>();
    private ImagePolicy policy = ImagePolicy.NONE;
    private boolean provenance;
    private final List<Path> customizeHooks = new ArrayList<>();
    private MaintainerScriptMode maintainerScripts = MaintainerScriptMode.OFF;
    private MultistrapScripts multistrapScripts = MultistrapScripts.NONE;
    private final List<UserAccount> users = new ArrayList<>();
    private final List<GroupAccount> groups = new ArrayList<>();
    private final List<PathDirective> paths = new ArrayList<>();
    private List<String> platformValues = List.of();
    private List<String> platformArchitectures = List.of();

    private Builder() {}

    /** Adds a user to the image's {@code /etc/passwd}. */
    public Builder addUser(UserAccount user) {
      users.add(Objects.requireNonNull(user, "user"));
      return this;
    }

    /** Adds a group to the image's {@code /etc/group}. */
    public Builder addGroup(GroupAccount group) {
      groups.add(Objects.requireNonNull(group, "group"));
      return this;
    }

    /** Adds a directory, file, symbolic link or permission change, applied in the order added. */
    public Builder addPath(PathDirective path) {
      paths.add(Objects.requireNonNull(path, "path"));
      return this;
    }

    public Builder addSource(SourceSpec source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    public Builder addPackage(String name) {
      packages.add(Objects.requireNonNull(name, "package"));
      return this;
    }

    public Builder architecture(String architecture) {
      this.architecture = architecture;
      return this;
    }

    public Builder addApplicationLayer(ApplicationLayer layer) {
      applicationLayers.add(Objects.requireNonNull(layer, "layer"));
      return this;
    }

    public Builder entrypoint(List<String> entrypoint) {
      this.entrypoint.clear();
      this.entrypoint.addAll(entrypoint);
      return this;
    }

    public Builder cmd(List<String> cmd) {
      this.cmd.clear();
      this.cmd.addAll(cmd);
      return this;
    }

    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder workingDirectory(String workingDirectory) {
      this.workingDirectory = workingDirectory;
      return this;
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public Builder imageReference(String imageReference) {
      this.imageReference = imageReference;
      return this;
    }

    /**
     * Sets the tags, besides the image reference's own, that the image gets under the same name,
     * such as {@code latest}; blank entries are ignored.
     */
    public Builder additionalTags(List<String> tags) {
      additionalTags.clear();
      Objects.requireNonNull(tags, "tags").stream()
          .filter(tag -> tag != null && !tag.isBlank())
          .map(String::strip)
          .forEach(additionalTags::add);
      return this;
    }

    public Builder outputDirectory(Path outputDirectory) {
      this.outputDirectory = outputDirectory;
      return this;
    }

    public Builder cacheDirectory(Path cacheDirectory) {
      this.cacheDirectory = cacheDirectory;
      return this;
    }

    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /** Sets the HTTP proxies for downloads; null means read them from the environment. */
    public Builder proxySettings(ProxySettings proxySettings) {
      this.proxySettings = proxySettings;
      return this;
    }

    /**
     * Builds from {@code lockfile} when that file exists, instead of resolving the packages; null
     * turns this off.
     */
    public Builder lockfile(Path lockfile) {
      this.lockfile = lockfile;
      return this;
    }

    /** Adds a selection of packages that is made once the package indexes are loaded. */
    public Builder addPackageSelector(PackageSelector selector) {
      packageSelectors.add(Objects.requireNonNull(selector, "selector"));
      return this;
    }

    /** Sets the variant, Recommends, excludes and suite preference of the resolution. */
    public Builder resolveOptions(ResolveOptions resolveOptions) {
      this.resolveOptions = Objects.requireNonNull(resolveOptions, "resolveOptions");
      return this;
    }

    /** Sets the time zone, such as {@code Europe/Berlin}. */
    public Builder timezone(String timezone) {
      this.timezone = timezone;
      return this;
    }

    /**
     * Sets the compression of the layer blobs from its configured name, {@code gzip} or {@code zstd}.
     *
     * @throws dev.debimage.core.ImageBuildException if the name is neither
     */
    public Builder layerCompression(String name) {
      this.layerCompression = LayerCompression.parse(name);
      return this;
    }

    /**
     * Sets how the installed packages are split into layers: a package whose files contain at least
     * {@code budgetBytes} bytes gets a layer of its own while the package layers number at most
     * {@code maxLayers}. The base layer starts from {@code libc6}, as in {@link PackageLayering#DEFAULT}.
     *
     * @throws dev.debimage.core.ImageBuildException if the budget is not positive or the maximum is below 3
     */
    public Builder packageLayering(long budgetBytes, int maxLayers) {
      this.packageLayering = new PackageLayering(budgetBytes, maxLayers, PackageLayering.DEFAULT.baseRoots());
      return this;
    }

    /** Replaces the path filters; an empty list unpacks every file. */
    public Builder pathFilters(List<String> pathFilters) {
      this.pathFilters.clear();
      this.pathFilters.addAll(pathFilters);
      return this;
    }

    /** Adds a port the container listens on, such as {@code 8080} or {@code 53/udp}. */
    public Builder exposePort(String port) {
      exposedPorts.add(Objects.requireNonNull(port, "port"));
      return this;
    }

    /** Adds a volume, an absolute path in the image. */
    public Builder addVolume(String path) {
      volumes.add(Objects.requireNonNull(path, "volume"));
      return this;
    }

    /** Sets a label of the image config, replacing an earlier value of the same label. */
    public Builder label(String name, String value) {
      labels.put(name, value);
      return this;
    }

    /** Sets the signal that stops the container; null leaves it unset. */
    public Builder stopSignal(String stopSignal) {
      this.stopSignal = stopSignal;
      return this;
    }

    /** Sets an annotation of the image manifest, replacing an earlier value of the same key. */
    public Builder annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    /** Adds a Maven dependency of the application, as {@code groupId:artifactId:version}, to the SBOMs. */
    public Builder addApplicationDependency(String coordinates) {
      applicationDependencies.add(Objects.requireNonNull(coordinates, "coordinates"));
      return this;
    }

    public Builder policy(ImagePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets whether the image records the suites, their dates and the lockfile's SHA-256. */
    public Builder provenance(boolean provenance) {
      this.provenance = provenance;
      return this;
    }

    /** Adds a customize hook: an executable file run as {@code HOOK ROOT} on the assembled tree. */
    public Builder addCustomizeHook(Path hook) {
      customizeHooks.add(Objects.requireNonNull(hook, "hook"));
      return this;
    }

    /** Sets whether and how the packages' maintainer scripts run. */
    public Builder maintainerScripts(MaintainerScriptMode mode) {
      this.maintainerScripts = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Sets the scripts of a multistrap configuration. */
    public Builder multistrapScripts(MultistrapScripts scripts) {
      this.multistrapScripts = Objects.requireNonNull(scripts, "scripts");
      return this;
    }

    /**
     * Sets the platforms to build for, as OCI platforms ({@code linux/arm64}) or Debian
     * architectures ({@code arm64}); a value may list several separated by commas. A non-empty
     * list replaces {@link #architecture(String)}, whose value is then ignored.
     */
    public Builder platforms(List<String> platforms) {
      this.platformValues = List.copyOf(Objects.requireNonNull(platforms, "platforms"));
      return this;
    }

    /** Validates the settings and returns the spec. */
    public ImageSpec build() {
      if (packages.isEmpty() && packageSelectors.isEmpty() && resolveOptions.variant() == Variant.CUSTOM) {
        throw new ImageBuildException(
            "no packages requested: add at least one package, for example"
                + " <packages><package>openjdk-17-jre-headless</package></packages>");
      }
      for (String name : packages) {
        if (!name.matches("[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+~:-]+|/[A-Za-z0-9.+_-]+)?")) {
          throw new ImageBuildException(
              "invalid package name '" + name + "': Debian package names use lower-case letters,"
                  + " digits and + - . (Debian Policy 5.6.7), optionally followed by =VERSION or /SUITE");
        }
      }
      if (architecture == null || !architecture.matches("[a-z0-9][a-z0-9-]*")) {
        throw new ImageBuildException(
            "invalid architecture '" + architecture + "': use a Debian architecture name such as amd64 or arm64");
      }
      if (outputDirectory == null) {
        throw new ImageBuildException("missing output directory: set where the image is written");
      }
      if (cacheDirectory == null) {
        throw new ImageBuildException("missing cache directory");
      }
      if (timestamp == null) {
        throw new ImageBuildException("missing timestamp");
      }
      if (user == null || user.isBlank()) {
        throw new ImageBuildException("invalid user '" + user + "': name an account or a uid[:gid]");
      }
      if (!entrypoint.isEmpty() && entrypoint.get(0).strip().matches(".*\\s.*")) {
        throw new ImageBuildException(
            "invalid entrypoint '" + entrypoint.get(0) + "': its first entry is the program's path, and"
                + " this one contains a space; give each argument its own entry, for example"
                + " <entrypoint><arg>/usr/bin/curl</arg><arg>--version</arg></entrypoint>"
                + " or -Dimage.entrypoint=/usr/bin/curl,--version");
      }
      if (workingDirectory == null || !workingDirectory.startsWith("/")) {
        throw new ImageBuildException(
            "invalid working directory '" + workingDirectory + "': use an absolute path such as /app");
      }
      for (String coordinates : applicationDependencies) {
        if (!coordinates.matches("[^:\\s]+:[^:\\s]+:[^:\\s]+")) {
          throw new ImageBuildException(
              "invalid application dependency '" + coordinates + "': use groupId:artifactId:version");
        }
      }
      for (Path hook : customizeHooks) {
        if (!Files.isRegularFile(hook) || !Files.isExecutable(hook)) {
          throw new ImageBuildException(
              "customize hook " + hook + " is not an executable file: fix the path, or make it"
                  + " executable with chmod +x");
        }
      }
      if (!additionalTags.isEmpty()) {
        ImageTags.parse(imageReference, additionalTags);
      }
      platformArchitectures = Platforms.parse(platformValues);
      TimeZoneConfig.checkName(timezone);
      PathFilters.parse(pathFilters);
      new ImageShape(users, groups, paths);
      ImageSpec spec = new ImageSpec(this);
      // Checks the container settings now rather than after the packages are fetched.
      ImageConfig.from(spec);
      return spec;
    }
  }
}
