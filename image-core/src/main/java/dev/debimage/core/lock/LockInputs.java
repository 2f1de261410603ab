package dev.debimage.core.lock;

import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.image.CompactJson;
import dev.debimage.core.resolution.ResolveOptions;
import dev.debimage.core.spec.SourceSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The inputs that decide resolution, and their digest, which a lockfile records so that a build
 * can tell whether the lock still matches the pom.
 *
 * <p>The canonical description is compact JSON in UTF-8, with keys in this fixed order:
 *
 * <pre>{"architecture":A,"packages":[P...],"sources":[{"components":[C...],"signedBy":S,
 * "suites":[X...],"uris":[U...]}...]}</pre>
 *
 * <ul>
 *   <li>{@code architecture}: the image's Debian architecture.
 *   <li>{@code packages}: the requested packages as written ({@code name} or {@code name=version}),
 *       stripped of surrounding white space, sorted and without duplicates, since the order of
 *       requests does not change the resolution.
 *   <li>{@code sources}: the sources in configured order (the pom's, or the host's apt sources
 *       when the pom names none), each with its URIs, suites and components in configured order
 *       and its {@code Signed-By} value (a keyring path or a key block) or null.
 *   <li>{@code resolution}, present only when the resolve options differ from the defaults:
 *       {@code {"excludes":[E...],"forceExcludeEssential":B,"installRecommends":B,
 *       "preferSuites":[S...],"variant":V}}, excludes sorted, suites in configured order.
 *   <li>{@code selections}, present only when package selectors are configured: their
 *       descriptions, sorted, such as multistrap's selection of {@code Priority: required}.
 * </ul>
 *
 * <p>Both optional keys sit between {@code packages} and {@code sources}. Leaving them out by
 * default keeps the digest of lockfiles written before they existed.
 *
 * <p>A source's {@code architectures} (which decide whether the loader reads it),
 * {@code allowExpiredKeys} and {@code trusted} appear in its object, in alphabetical key order,
 * only when set, so the digest of a source without them stays as before. The keys a keyring file
 * holds are left out; the lockfile's SHA256 values, not the keys, protect a locked build.
 */
public final class LockInputs {

  private LockInputs() {}

  /** Returns the canonical description of the inputs, as documented on this class. */
  public static String canonical(List<SourceSpec> sources, List<String> packages, String architecture) {
    return canonical(sources, packages, architecture, ResolveOptions.DEFAULT, List.of());
  }

  /**
   * Returns the canonical description of the inputs with resolve options and the descriptions of
   * the package selectors, as documented on this class.
   */
  public static String canonical(
      List<SourceSpec> sources, List<String> packages, String architecture, ResolveOptions options,
      List<String> selections) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("architecture", architecture);
    TreeSet<String> requests = new TreeSet<>();
    packages.forEach(request -> requests.add(request.strip()));
    root.put("packages", List.copyOf(requests));
    if (!options.isDefault()) {
      Map<String, Object> resolution = new LinkedHashMap<>();
      resolution.put("excludes", List.copyOf(new TreeSet<>(options.excludes())));
      resolution.put("forceExcludeEssential", options.forceExcludeEssential());
      resolution.put("installRecommends", options.installRecommends());
      resolution.put("preferSuites", List.copyOf(options.preferSuites()));
      resolution.put("variant", options.variant().label());
      root.put("resolution", resolution);
    }
    if (!selections.isEmpty()) {
      root.put("selections", List.copyOf(new TreeSet<>(selections)));
    }
    List<Map<String, Object>> sourceList = new ArrayList<>();
    for (SourceSpec source : sources) {
      Map<String, Object> node = new LinkedHashMap<>();
      if (source.allowExpiredKeys()) {
        node.put("allowExpiredKeys", true);
      }
      if (!source.architectures().isEmpty()) {
        node.put("architectures", List.copyOf(source.architectures()));
      }
      node.put("components", List.copyOf(source.components()));
      node.put("signedBy", source.signedBy().orElse(null));
      node.put("suites", List.copyOf(source.suites()));
      if (source.trusted()) {
        node.put("trusted", true);
      }
      node.put("uris", source.uris().stream().map(URI::toString).toList());
      sourceList.add(node);
    }
    root.put("sources", sourceList);
    return new String(CompactJson.toBytes(root), StandardCharsets.UTF_8);
  }

  /** Returns {@code sha256:} and the SHA-256 of the canonical description, in lower-case hex. */
  public static String digest(List<SourceSpec> sources, List<String> packages, String architecture) {
    return digest(sources, packages, architecture, ResolveOptions.DEFAULT, List.of());
  }

  /**
   * Returns {@code sha256:} and the SHA-256 of the canonical description with resolve options and
   * selector descriptions, in lower-case hex.
   */
  public static String digest(
      List<SourceSpec> sources, List<String> packages, String architecture, ResolveOptions options,
      List<String> selections) {
    byte[] text = canonical(sources, packages, architecture, options, selections).getBytes(StandardCharsets.UTF_8);
    return "sha256:" + Sha256.hex(text);
  }
}
