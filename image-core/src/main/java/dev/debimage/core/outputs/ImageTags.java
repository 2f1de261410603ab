package dev.debimage.core.outputs;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names under which one build writes, loads and pushes its image: the image reference and any
 * additional tags of the same repository name, such as {@code example/hello:1.0} and {@code
 * example/hello:latest}.
 *
 * @param references the image reference first, then one reference per additional tag, each tag once
 */
public record ImageTags(List<ImageReference> references) {

  public ImageTags {
    references = List.copyOf(references);
    if (references.isEmpty()) {
      throw new IllegalArgumentException("missing image reference: ImageTags needs at least one");
    }
  }

  /**
   * Parses the image reference and gives the same name each of {@code additionalTags}. Blank
   * entries are ignored, and surrounding white space is removed.
   *
   * @throws ImageBuildException if the reference is invalid, a tag does not match the tag grammar
   *     of the OCI distribution reference, or a tag is listed twice or repeats the reference's tag
   */
  public static ImageTags parse(String imageReference, List<String> additionalTags) {
    ImageReference primary = ImageReference.parse(imageReference);
    List<ImageReference> references = new ArrayList<>(List.of(primary));
    Set<String> seen = new LinkedHashSet<>(List.of(primary.tag()));
    for (String value : additionalTags) {
      if (value == null || value.isBlank()) {
        continue;
      }
      String tag = value.strip();
      if (!ImageReference.isValidTag(tag)) {
        throw new ImageBuildException(
            "invalid tag '" + tag + "' in <tags>: use up to 128 letters, digits, '_', '.' and '-',"
                + " not starting with '.' or '-', for example 1.0 or latest");
      }
      if (!seen.add(tag)) {
        String where = tag.equals(primary.tag()) ? "it is already the tag of the image " + primary : "it is listed twice";
        throw new ImageBuildException(
            "duplicate tag '" + tag + "' in <tags>: " + where + "; list each tag once");
      }
      references.add(new ImageReference(primary.name(), tag));
    }
    return new ImageTags(references);
  }

  /** Returns the tags of a single image reference, with no additional tags. */
  public static ImageTags of(String imageReference) {
    return parse(imageReference, List.of());
  }

  /** Returns the image reference, whose name and first tag the build prints and writes first. */
  public ImageReference primary() {
    return references.get(0);
  }

  /** Returns every tag, the image reference's tag first. */
  public List<String> tags() {
    return references.stream().map(ImageReference::tag).toList();
  }

  /** Returns {@code name:tag} of every reference, comma-separated. */
  @Override
  public String toString() {
    return String.join(", ", references.stream().map(ImageReference::toString).toList());
  }
}
