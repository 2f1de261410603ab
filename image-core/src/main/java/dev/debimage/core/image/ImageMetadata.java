package dev.debimage.core.image;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Facts about the project an image is built from, written as the pre-defined
 * {@code org.opencontainers.image.*} annotation keys of the OCI image specification. Null or blank
 * values are left out.
 *
 * @param title the human-readable title, such as the project name
 * @param description a human-readable description
 * @param version the version of the packaged software
 * @param licenses the license, as an SPDX license expression
 * @param url where to find more about the software
 * @param source the URL of the source code
 * @param revision the source control revision, such as a tag or commit
 */
public record ImageMetadata(
    String title, String description, String version, String licenses, String url, String source, String revision) {

  /** The prefix of the annotation keys that the OCI image specification defines. */
  public static final String PREFIX = "org.opencontainers.image.";

  /**
   * Returns the annotations, sorted by key: {@code created} from {@code created} in RFC 3339 form,
   * then every non-blank field under its {@code org.opencontainers.image.} key.
   */
  public Map<String, String> annotations(Instant created) {
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(PREFIX + "created", created.toString());
    put(annotations, "title", title);
    put(annotations, "description", description);
    put(annotations, "version", version);
    put(annotations, "licenses", licenses);
    put(annotations, "url", url);
    put(annotations, "source", source);
    put(annotations, "revision", revision);
    return annotations;
  }

  private static void put(Map<String, String> annotations, String key, String value) {
    if (value != null && !value.isBlank()) {
      annotations.put(PREFIX + key, value.strip());
    }
  }
}
