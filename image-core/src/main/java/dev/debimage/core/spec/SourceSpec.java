package dev.debimage.core.spec;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One package source, named as in apt's deb822 sources format: {@code URIs}, {@code Suites},
 * {@code Components}, {@code Architectures} and {@code Signed-By}.
 *
 * @param uris archive roots, such as {@code http://MIRROR/debian}
 * @param suites suites (codenames or classes), such as {@code bookworm} and {@code bookworm-updates}
 * @param components components, such as {@code main}
 * @param architectures architectures to read; empty means the image's architecture
 * @param signedBy a keyring path or an ASCII-armored key block; empty means the bundled archive keys
 * @param origin where the definition came from, for error messages (a file and line, or the pom)
 */
public record SourceSpec(
    List<URI> uris,
    List<String> suites,
    List<String> components,
    List<String> architectures,
    Optional<String> signedBy,
    String origin) {

  public SourceSpec {
    uris = List.copyOf(uris);
    suites = List.copyOf(suites);
    components = List.copyOf(components);
    architectures = List.copyOf(architectures);
    Objects.requireNonNull(signedBy, "signedBy");
    Objects.requireNonNull(origin, "origin");
  }
}
