package dev.debimage.core.spec;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.policy.ImagePolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a build needs: where packages come from, which packages to install, the application
 * layers and the container settings. Built with {@link #builder()}; {@link Builder#build()}
 * validates every value and names the one at fault.
 */
public final class ImageSpec {

  /** The account that images run as unless {@link Builder#user(String)} names another. */
  public static final String DEFAULT_USER = "nonroot";

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
  private final Path outputDirectory;
  private final Path cacheDirectory;
  private final boolean offline;
  private final List<String> applicationDependencies;
  private final ImagePolicy policy;

  private ImageSpec(Builder builder) {
    this.sources = List.copyOf(builder.sources);
    this.packages = List.copyOf(builder.packages);
    this.architecture = builder.architecture;
    this.applicationLayers = List.copyOf(builder.applicationLayers);
    this.entrypoint = List.copyOf(builder.entrypoint);
    this.cmd = List.copyOf(builder.cmd);
    this.environment = Map.copyOf(builder.environment);
    this.user = builder.user;
    this.workingDirectory = builder.workingDirectory;
    this.timestamp = builder.timestamp;
    this.imageReference = builder.imageReference;
    this.outputDirectory = builder.outputDirectory;
    this.cacheDirectory = builder.cacheDirectory;
    this.offline = builder.offline;
    this.applicationDependencies = List.copyOf(builder.applicationDependencies);
    this.policy = builder.policy;
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

  /** The Debian architecture of the image, such as {@code amd64} or {@code arm64}. */
  public String architecture() {
    return architecture;
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

  /** Environment of the container, sorted by name when written to the image config. */
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
    private Path outputDirectory;
    private Path cacheDirectory = defaultCacheDirectory();
    private boolean offline;
    private final List<String> applicationDependencies = new ArrayList<>();
    private ImagePolicy policy = ImagePolicy.NONE;

    private Builder() {}

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

    /** Adds a Maven dependency of the application, as {@code groupId:artifactId:version}, to the SBOMs. */
    public Builder addApplicationDependency(String coordinates) {
      applicationDependencies.add(Objects.requireNonNull(coordinates, "coordinates"));
      return this;
    }

    public Builder policy(ImagePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Validates the settings and returns the spec. */
    public ImageSpec build() {
      if (packages.isEmpty()) {
        throw new ImageBuildException(
            "no packages requested: add at least one package, for example"
                + " <packages><package>openjdk-17-jre-headless</package></packages>");
      }
      for (String name : packages) {
        if (!name.matches("[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+~:-]+)?")) {
          throw new ImageBuildException(
              "invalid package name '" + name + "': Debian package names use lower-case letters,"
                  + " digits and + - . (Debian Policy 5.6.7), optionally followed by =VERSION");
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
      return new ImageSpec(this);
    }
  }
}
