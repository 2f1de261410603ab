package dev.debimage.core.outputs;

import dev.debimage.core.ImageBuildException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image name and tag, such as {@code registry.example:5000/team/app:1.0}. A missing tag means
 * {@code latest}; the name is kept as written, so no default registry or {@code library/} prefix
 * is added.
 *
 * @param name the repository name, with the registry host if one was given
 * @param tag the tag
 */
public record ImageReference(String name, String tag) {

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]+)?");
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  /**
   * Parses a reference in the grammar of the OCI distribution reference ({@code [HOST[:PORT]/]PATH[:TAG]}).
   *
   * @throws ImageBuildException if the reference is invalid or names a digest
   */
  public static ImageReference parse(String reference) {
    if (reference == null || reference.isBlank()) {
      throw new ImageBuildException("missing image reference: name the image, for example example/hello:1.0");
    }
    if (reference.contains("@")) {
      throw new ImageBuildException(
          "invalid image reference '" + reference + "': it names a digest, but the build computes"
              + " the digest; name a tag instead, for example example/hello:1.0");
    }
    int lastSlash = reference.lastIndexOf('/');
    int colon = reference.indexOf(':', lastSlash + 1);
    String name = colon < 0 ? reference : reference.substring(0, colon);
    String tag = colon < 0 ? "latest" : reference.substring(colon + 1);
    if (!TAG.matcher(tag).matches()) {
      throw new ImageBuildException(
          "invalid tag '" + tag + "' in image reference '" + reference + "': use up to 128 letters,"
              + " digits, '_', '.' and '-', not starting with '.' or '-'");
    }
    String[] components = name.split("/", -1);
    for (int i = 0; i < components.length; i++) {
      String component = components[i];
      boolean host =
          i == 0
              && components.length > 1
              && (component.contains(".") || component.contains(":") || component.equals("localhost"));
      if (host ? !HOST.matcher(component).matches() : !PATH_COMPONENT.matcher(component).matches()) {
        throw new ImageBuildException(
            "invalid image name '" + name + "' in image reference '" + reference + "': '" + component
                + "' is not a valid " + (host ? "registry host" : "name component") + "; use lower-case"
                + " letters, digits and single separators (. _ -) between them, for example example/hello:1.0");
      }
    }
    return new ImageReference(name, tag);
  }

  /** Returns whether {@code tag} matches the tag grammar of the OCI distribution reference. */
  public static boolean isValidTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  /**
   * Returns the registry host, with its port if one was given, when the first component of the
   * name is a host: it contains a {@code .} or a {@code :}, or is {@code localhost}.
   */
  public Optional<String> registry() {
    int slash = name.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String first = name.substring(0, slash);
    boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
    return host ? Optional.of(first) : Optional.empty();
  }

  /** Returns the repository name within the registry: the name without the registry host. */
  public String repository() {
    return registry().map(host -> name.substring(host.length() + 1)).orElse(name);
  }

  /** Returns {@code name:tag}. */
  @Override
  public String toString() {
    return name + ":" + tag;
  }
}
