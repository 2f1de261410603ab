package dev.debimage.core.resolution;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.ImageSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A package set that is installed in addition to the requested packages, named after mmdebstrap's
 * {@code --variant} values (mmdebstrap 1.3.5, man page section VARIANTS).
 */
public enum Variant {

  /** Only the requested packages and their dependencies, as mmdebstrap's {@code custom}. */
  CUSTOM(false, Set.of(), Set.of()),
  /** Every {@code Essential: yes} package. */
  ESSENTIAL(true, Set.of(), Set.of()),
  /** The essential set plus apt. */
  APT(true, Set.of(), Set.of("apt")),
  /** The essential set plus apt and every {@code Priority: required} package; mmdebstrap's minbase. */
  REQUIRED(true, Set.of("required"), Set.of("apt")),
  /** The required set plus every {@code Priority: important} package; debootstrap's default. */
  IMPORTANT(true, Set.of("required", "important"), Set.of("apt")),
  /** The important set plus every {@code Priority: standard} package. */
  STANDARD(true, Set.of("required", "important", "standard"), Set.of("apt"));

  private final boolean essential;
  private final Set<String> priorities;
  private final Set<String> names;

  Variant(boolean essential, Set<String> priorities, Set<String> names) {
    this.essential = essential;
    this.priorities = priorities;
    this.names = names;
  }

  /**
   * Returns the variant of a name, case-insensitive; {@code minbase} is {@link #REQUIRED} and
   * {@code debootstrap} is {@link #IMPORTANT}, as in mmdebstrap.
   *
   * @throws ImageBuildException when the name is not a supported variant
   */
  public static Variant parse(String name) {
    String text = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    switch (text) {
      case "minbase":
        return REQUIRED;
      case "debootstrap":
        return IMPORTANT;
      default:
        for (Variant variant : values()) {
          if (variant.label().equals(text)) {
            return variant;
          }
        }
    }
    throw new ImageBuildException(
        "invalid variant '" + name + "': expected one of "
            + Arrays.stream(values()).map(Variant::label).collect(Collectors.joining(", "))
            + " (or minbase, debootstrap); extract and buildd are not supported");
  }

  /** Returns the lower-case name, as mmdebstrap spells it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the selector of this variant's package set, or empty for {@link #CUSTOM}. */
  public Optional<ImageSpec.PackageSelector> selector() {
    if (this == CUSTOM) {
      return Optional.empty();
    }
    return Optional.of(new PrioritySelector(essential, priorities, names, "variant " + label()));
  }
}
