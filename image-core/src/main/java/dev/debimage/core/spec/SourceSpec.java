package dev.debimage.core.spec;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One package source, named as in apt's deb822 sources format: {@code URIs}, {@code Suites},
 * {@code Components}, {@code Architectures} and {@code Signed-By}.
 *
 * <p>A suite that ends with {@code /}, in a source without components, names a flat repository.
 * Its Release files and Packages index lie in the directory that the suite names below the URI,
 * such as {@code ./} for the URI itself, and its {@code Filename} fields are relative to the URI.
 *
 * @param uris archive roots, such as {@code http://MIRROR/debian}
 * @param suites suites (codenames or classes), such as {@code bookworm} and {@code bookworm-updates}
 * @param components components, such as {@code main}
 * @param architectures the image architectures this source serves, as apt's {@code Architectures}
 *     field; empty means every architecture. A source whose list lacks the image's architecture
 *     is not read, so two sources can serve one suite from different archives, one for each
 *     architecture
 * @param signedBy a keyring path or an ASCII-armored key block; empty means the bundled archive keys
 * @param origin where the definition came from, for error messages (a file and line, or the pom)
 * @param allowExpiredValidUntil whether a Release file whose {@code Valid-Until} is past is used
 *     with a warning instead of rejected, as apt's {@code Check-Valid-Until: no} does. Set it only
 *     for snapshot archives, whose Release files expire by design. Elsewhere it lets a mirror
 *     serve an old, signed Release file and hold back security updates unnoticed
 * @param allowExpiredKeys whether a signature by an expired key is
 *     accepted with a warning naming the key. A revoked key is still rejected. Set it only for
 *     snapshot archives signed by keys that have expired since
 * @param trusted whether the Release files are used without checking their signatures, as apt's
 *     {@code trusted=yes} does. Every suite read this way gets a warning, and the image records
 *     the source's URIs in the {@code dev.debimage.unverified-sources} label. The indexes and
 *     packages are still checked against the unverified Release file
 */
public record SourceSpec(
    List<URI> uris,
    List<String> suites,
    List<String> components,
    List<String> architectures,
    Optional<String> signedBy,
    String origin,
    boolean allowExpiredValidUntil,
    boolean allowExpiredKeys,
    boolean trusted) {

  public SourceSpec {
    uris = List.copyOf(uris);
    suites = List.copyOf(suites);
    components = List.copyOf(components);
    architectures = List.copyOf(architectures);
    Objects.requireNonNull(signedBy, "signedBy");
    Objects.requireNonNull(origin, "origin");
  }

  /** Creates a source that verifies signatures and rejects keys that have expired. */
  public SourceSpec(
      List<URI> uris,
      List<String> suites,
      List<String> components,
      List<String> architectures,
      Optional<String> signedBy,
      String origin,
      boolean allowExpiredValidUntil) {
    this(uris, suites, components, architectures, signedBy, origin, allowExpiredValidUntil, false, false);
  }

  /** Creates a source that rejects Release files whose {@code Valid-Until} is past. */
  public SourceSpec(
      List<URI> uris,
      List<String> suites,
      List<String> components,
      List<String> architectures,
      Optional<String> signedBy,
      String origin) {
    this(uris, suites, components, architectures, signedBy, origin, false);
  }

  /** Returns a copy with {@link #allowExpiredValidUntil()} set to {@code allow}. */
  public SourceSpec withAllowExpiredValidUntil(boolean allow) {
    return new SourceSpec(
        uris, suites, components, architectures, signedBy, origin, allow, allowExpiredKeys, trusted);
  }

  /** Returns a copy with {@link #allowExpiredKeys()} set to {@code allow}. */
  public SourceSpec withAllowExpiredKeys(boolean allow) {
    return new SourceSpec(
        uris, suites, components, architectures, signedBy, origin, allowExpiredValidUntil, allow, trusted);
  }

  /** Returns a copy with {@link #trusted()} set to {@code trusted}. */
  public SourceSpec withTrusted(boolean trusted) {
    return new SourceSpec(
        uris, suites, components, architectures, signedBy, origin, allowExpiredValidUntil, allowExpiredKeys,
        trusted);
  }

  /** Returns whether this source is read for images of {@code architecture}. */
  public boolean servesArchitecture(String architecture) {
    return architectures.isEmpty() || architectures.contains(architecture);
  }

  /** Returns whether {@code suite} names a flat repository directory: it ends with {@code /}. */
  public static boolean isFlat(String suite) {
    return suite.endsWith("/");
  }
}
