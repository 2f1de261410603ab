package dev.debimage.core.resolution;

import dev.debimage.core.indexes.BinaryPackage;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The packages a {@link Resolver} chose: their closure over {@code Pre-Depends} and {@code
 * Depends} (and {@code Recommends} when requested), with one version of each name.
 *
 * @param packages the chosen packages, sorted by name
 * @param reasons for each chosen name, {@code requested} or {@code needed by NAME}
 * @param warnings choices a user may want to make explicitly, such as a provider picked among
 *     several for a virtual package, skipped Recommends, and what depended on excluded packages
 */
public record Resolution(
    List<BinaryPackage> packages, Map<String, String> reasons, List<String> warnings) {

  /** Copies the arguments, keeping the reasons sorted by name. */
  public Resolution {
    packages = List.copyOf(packages);
    reasons = Collections.unmodifiableMap(new TreeMap<>(reasons));
    warnings = List.copyOf(warnings);
  }
}
