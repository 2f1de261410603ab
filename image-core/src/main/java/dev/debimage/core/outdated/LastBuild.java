package dev.debimage.core.outdated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.lock.LockedPackage;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the packages of the last build from its {@code packages.json}, as the baseline of {@code
 * image:outdated} when the project has no lockfile.
 */
public final class LastBuild {

  private LastBuild() {}

  /**
   * Returns the packages that {@code packagesJson} lists. The report has no component, file name or
   * size, which the comparison does not use, so those are empty and zero.
   *
   * @throws ImageBuildException when the file cannot be read or an entry lacks a field
   */
  public static List<LockedPackage> read(Path packagesJson) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(packagesJson.toFile());
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read " + packagesJson + ": " + e.getMessage()
              + ". Run mvn package to write it again, or mvn image:lock to compare with a lockfile", e);
    }
    JsonNode entries = root == null ? null : root.get("packages");
    if (entries == null || !entries.isArray()) {
      throw new ImageBuildException(
          packagesJson + " has no \"packages\" array: run mvn package to write it again");
    }
    List<LockedPackage> packages = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonNode entry = entries.get(i);
      String where = packagesJson + " packages[" + i + "]";
      String name = text(entry, "name", where);
      where = where + " (" + name + ")";
      String version = text(entry, "version", where);
      packages.add(new LockedPackage(
          name, version, text(entry, "architecture", where), text(entry, "sha256", where), 0,
          text(entry, "sourceName", where), text(entry, "sourceVersion", where),
          text(entry, "suite", where), "", uri(text(entry, "archiveRoot", where), where), "",
          text(entry, "reason", where)));
    }
    return packages;
  }

  private static String text(JsonNode entry, String field, String where) {
    JsonNode value = entry.get(field);
    if (value == null || !value.isTextual()) {
      throw new ImageBuildException(
          where + " lacks the text field \"" + field + "\": run mvn package to write the report again");
    }
    return value.asText();
  }

  private static URI uri(String value, String where) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new ImageBuildException(
          where + " has an invalid archiveRoot '" + value + "': run mvn package to write the report again", e);
    }
  }
}
