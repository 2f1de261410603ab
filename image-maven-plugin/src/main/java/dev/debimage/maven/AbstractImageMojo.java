package dev.debimage.maven;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.multistrap.KeyringPackages;
import dev.debimage.core.multistrap.MultistrapConfig;
import dev.debimage.core.multistrap.MultistrapImport;
import dev.debimage.core.resolution.ResolveOptions;
import dev.debimage.core.resolution.Variant;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.spec.SourceSpec;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * The parameters that decide which packages go into the image, shared by {@code image:build} and
 * {@code image:lock}, and their mapping onto {@link ImageSpec}.
 */
public abstract class AbstractImageMojo extends AbstractMojo {

  /**
   * Package sources. When both this and {@code sourcesFiles} are empty, the build host's apt sources are used
   * ({@code /etc/apt/sources.list} and {@code /etc/apt/sources.list.d/}).
   */
  @Parameter
  private List<Source> sources = new ArrayList<>();

  /**
   * apt sources files to take the package sources from, such as a team's {@code
   * bookworm.sources} (deb822 format) or {@code bookworm.list} (one-line format), recognized
   * by their names as apt does. Their sources come after those of {@code sources}. Empty by default.
   */
  @Parameter(property = "image.sourcesFiles")
  private List<File> sourcesFiles = new ArrayList<>();

  /**
   * Debian packages to install, with their dependencies, such as {@code openjdk-17-jre-headless},
   * each as {@code NAME}, {@code NAME=VERSION} or {@code NAME/SUITE}. Empty by default, and then
   * {@code variant} or {@code multistrapConfig} must add packages.
   */
  @Parameter(property = "image.packages")
  private List<String> packages = new ArrayList<>();

  /** The Debian architecture of the image. */
  @Parameter(property = "image.architecture", defaultValue = "amd64")
  private String architecture;

  /**
   * The platforms to build one image each for, written as an OCI image index: OCI platforms such
   * as {@code linux/amd64,linux/arm64} or Debian architectures such as {@code amd64,arm64}. When
   * set, it replaces {@code architecture}; unset builds one image for {@code architecture}.
   */
  @Parameter(property = "image.platforms")
  private List<String> platforms = new ArrayList<>();

  /**
   * The cache of indexes and packages shared by all builds. Defaults to
   * {@code $XDG_CACHE_HOME/debimage}, or {@code ~/.cache/debimage}.
   */
  @Parameter(property = "image.cacheDirectory")
  private File cacheDirectory;

  /**
   * The lockfile that {@code image:lock} writes and {@code image:build} reads: the resolved
   * packages with the SHA256 of each {@code .deb}.
   */
  @Parameter(property = "image.lockfile", defaultValue = "${project.basedir}/image.lock.json")
  private File lockfile;

  /**
   * A multistrap configuration file. Its bootstrap sections give the sources and packages, with
   * the pom's {@code packages} added, and its {@code arch} sets the architecture. Cannot be
   * combined with {@code sources}. docs/multistrap.md lists the keys it honours. Unset by
   * default.
   */
  @Parameter(property = "image.multistrapConfig")
  private File multistrapConfig;

  /**
   * The package set added to {@code packages}, named as mmdebstrap's {@code --variant}: {@code
   * custom} (only the listed packages and their dependencies), {@code essential} (every {@code
   * Essential: yes} package), {@code apt}, {@code required} ({@code minbase}), {@code important}
   * ({@code debootstrap}) or {@code standard}. docs/resolver.md describes each.
   */
  @Parameter(property = "image.variant", defaultValue = "custom")
  private String variant;

  /** Installs the {@code Recommends} of the packages too, skipping with a warning those that cannot be met. */
  @Parameter(property = "image.installRecommends", defaultValue = "false")
  private boolean installRecommends;

  /**
   * Packages never to install; a dependency that only they can meet fails the build. Empty by
   * default.
   */
  @Parameter(property = "image.excludes")
  private List<String> excludes = new ArrayList<>();

  /** Allows {@code excludes} to name {@code Essential: yes} packages. */
  @Parameter(property = "image.forceExcludeEssential", defaultValue = "false")
  private boolean forceExcludeEssential;

  /**
   * Suites whose packages win over those of later suites and of unlisted suites, whatever their
   * versions, such as {@code bookworm-backports}. Empty by default.
   */
  @Parameter(property = "image.preferSuites")
  private List<String> preferSuites = new ArrayList<>();

  /** Skips the goal. */
  @Parameter(property = "image.skip", defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  private MojoExecution mojoExecution;

  /** Returns the Maven project. */
  protected MavenProject project() {
    return project;
  }

  /** Returns the Maven session. */
  protected MavenSession session() {
    return session;
  }

  /** Returns the lockfile parameter. */
  protected File lockfile() {
    return lockfile;
  }

  /** Returns whether {@code image.skip} is set. */
  protected boolean skip() {
    return skip;
  }

  /** Returns a listener that writes build events to Maven's log. */
  protected BuildListener listener() {
    return new MavenLogListener(getLog());
  }

  /**
   * Returns a spec builder with the sources, packages, resolve options, architecture, cache
   * directory, Maven's offline setting and the active proxies of settings.xml filled in.
   *
   * @throws MojoFailureException when a {@code <source>} is incomplete or has an invalid URI, or a
   *     resolve option is invalid
   */
  protected ImageSpec.Builder packageSpec() throws MojoFailureException {
    UnknownParameters.check(project, mojoExecution);
    ImageSpec.Builder builder = ImageSpec.builder();
    Optional<MultistrapImport.Result> multistrap = applyMultistrapConfig(builder);
    Optional<String> multistrapArchitecture = multistrap.flatMap(MultistrapImport.Result::architecture);
    boolean recommends = installRecommends || multistrap.map(MultistrapImport.Result::allowRecommends).orElse(false);
    for (int i = 0; i < sources.size(); i++) {
      builder.addSource(toSourceSpec(sources.get(i), i + 1));
    }
    for (File file : sourcesFiles) {
      if (multistrap.isPresent()) {
        throw new MojoFailureException(
            "both <multistrapConfig> and <sourcesFiles> are set: the multistrap configuration names the"
                + " sources, so remove <sourcesFiles> or <multistrapConfig>");
      }
      try {
        HostAptSources.readFile(file.toPath()).forEach(builder::addSource);
      } catch (ImageBuildException e) {
        throw new MojoFailureException(e.getMessage() + " (set by <sourcesFiles> or -Dimage.sourcesFiles)", e);
      }
    }
    packages.forEach(builder::addPackage);
    try {
      builder.resolveOptions(new ResolveOptions(
          Variant.parse(variant), recommends, excludes, forceExcludeEssential, preferSuites));
    } catch (ImageBuildException e) {
      throw new MojoFailureException(ParameterHints.withParameter(e.getMessage()), e);
    }
    return builder
        .architecture(multistrapArchitecture.orElse(architecture))
        .platforms(platforms == null ? List.of() : platforms)
        .cacheDirectory(
            cacheDirectory != null ? cacheDirectory.toPath() : ImageSpec.defaultCacheDirectory())
        .offline(session.isOffline())
        .proxySettings(MavenProxies.from(session.getSettings()).orElse(null));
  }

  /**
   * Adds the sources, packages and selections of {@code multistrapConfig} to the builder, and
   * returns what the file sets, or empty without {@code multistrapConfig}.
   */
  private Optional<MultistrapImport.Result> applyMultistrapConfig(ImageSpec.Builder builder) throws MojoFailureException {
    if (multistrapConfig == null) {
      return Optional.empty();
    }
    if (!sources.isEmpty()) {
      throw new MojoFailureException(
          "both <multistrapConfig> and <sources> are set: the multistrap configuration names the"
              + " sources, so remove <sources> or <multistrapConfig>");
    }
    Path generated = Path.of(project.getBuild().getDirectory(), "multistrap");
    // Keyring packages that are not bundled are fetched through the build's cache and proxies.
    HttpDownloader downloader = MavenProxies.from(session.getSettings())
        .map(proxies -> new HttpDownloader(listener(), proxies))
        .orElseGet(() -> new HttpDownloader(listener()));
    Path cache = cacheDirectory != null ? cacheDirectory.toPath() : ImageSpec.defaultCacheDirectory();
    KeyringPackages keyrings =
        new KeyringPackages(new DownloadCache(cache, downloader, session.isOffline()), listener());
    MultistrapImport.Result result =
        MultistrapImport.read(
            MultistrapConfig.parse(multistrapConfig.toPath()), architecture, generated, listener(), keyrings);
    result.applyTo(builder);
    return Optional.of(result);
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
    return new SourceSpec(parsed, suites, components, words(source.getArchitectures()), signedBy, origin)
        .withAllowExpiredKeys(source.isAllowExpiredKeys())
        .withTrusted(source.isTrusted());
  }

  private static List<String> words(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.asList(value.strip().split("\\s+"));
  }
}
