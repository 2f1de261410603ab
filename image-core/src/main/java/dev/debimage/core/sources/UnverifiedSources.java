package dev.debimage.core.sources;

import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.spec.SourceSpec;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The image label that records the sources whose signatures a build did not verify. */
public final class UnverifiedSources {

  /** The label's name; its value lists the URIs of the trusted sources, separated by spaces. */
  public static final String LABEL = "dev.debimage.unverified-sources";

  private UnverifiedSources() {}

  /** Returns the URIs of the sources marked trusted, separated by spaces, or empty when there is none. */
  public static Optional<String> labelValue(List<SourceSpec> sources) {
    Set<String> uris = new LinkedHashSet<>();
    for (SourceSpec source : sources) {
      if (source.trusted()) {
        source.uris().stream().map(URI::toString).forEach(uris::add);
      }
    }
    return uris.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", uris));
  }

  /**
   * Returns {@code config} with the label set when a source is marked trusted, replacing any
   * value the user gave it so the label cannot hide an unverified source; otherwise returns
   * {@code config} unchanged.
   */
  public static ImageConfig label(ImageConfig config, List<SourceSpec> sources) {
    Optional<String> value = labelValue(sources);
    if (value.isEmpty()) {
      return config;
    }
    TreeMap<String, String> labels = new TreeMap<>(config.labels());
    labels.put(LABEL, value.get());
    return new ImageConfig(
        config.architecture(), config.entrypoint(), config.cmd(), config.environment(), config.user(),
        config.workingDirectory(), config.created(), config.exposedPorts(), config.volumes(), labels,
        config.stopSignal(), config.annotations());
  }
}
