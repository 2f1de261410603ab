package dev.debimage.core.lock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.debimage.core.ImageBuildException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The lockfile of a build for several platforms: one {@link Lockfile} per Debian architecture, in
 * the order of the build's platforms. A build for one platform writes the plain {@link Lockfile}
 * format; a build for several writes {@code {"lockfileVersion": 1, "platforms": [LOCK, ...]}},
 * where each {@code LOCK} is a complete single-platform lockfile object.
 *
 * @param locks the lockfile of each platform, no architecture twice
 */
public record PlatformLockfiles(List<Lockfile> locks) {

  /** Holds the mapper, so that a build that finds the lockfile in the cache never creates one. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /** Copies the list and rejects an empty list or an architecture listed twice. */
  public PlatformLockfiles {
    locks = List.copyOf(locks);
    if (locks.isEmpty()) {
      throw new IllegalArgumentException("a lockfile needs at least one platform");
    }
    List<String> seen = new ArrayList<>();
    for (Lockfile lock : locks) {
      if (seen.contains(lock.architecture())) {
        throw new IllegalArgumentException("architecture " + lock.architecture() + " is locked twice");
      }
      seen.add(lock.architecture());
    }
  }

  /** Returns the Debian architectures of the locks, in order. */
  public List<String> architectures() {
    return locks.stream().map(Lockfile::architecture).toList();
  }

  /** Returns the lock of {@code architecture}, if the file has one. */
  public Optional<Lockfile> forArchitecture(String architecture) {
    return locks.stream().filter(lock -> lock.architecture().equals(architecture)).findFirst();
  }

  /**
   * Returns the lock of {@code architecture}.
   *
   * @throws ImageBuildException naming {@code location} when the file has no lock for it
   */
  public Lockfile require(String architecture, String location) {
    return forArchitecture(architecture).orElseThrow(() -> new ImageBuildException(
        "the lockfile " + location + " has no packages for architecture " + architecture + ", only for "
            + String.join(", ", architectures()) + ": the platforms changed since the lock was"
            + " written. Run mvn image:lock to update it"));
  }

  /**
   * Returns the file's text: the single lock's own format for one platform, or the platforms
   * object for several, with two-space indentation and a newline at the end.
   */
  public String toJson() {
    if (locks.size() == 1) {
      return locks.get(0).toJson();
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("lockfileVersion", Lockfile.VERSION);
    ArrayNode platforms = root.putArray("platforms");
    for (Lockfile lock : locks) {
      try {
        platforms.add(Json.MAPPER.readTree(lock.toJson()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("failed to read back a lockfile's own JSON", e);
      }
    }
    return LockfileFormat.print(root);
  }

  /**
   * Reads a lockfile of either format.
   *
   * @throws ImageBuildException when the file cannot be read, or a platform's lock is invalid; the
   *     message names the file and the platform's position
   */
  public static PlatformLockfiles read(Path file) {
    String text = LockfileFormat.readText(file);
    return parse(text, file.toString());
  }

  /** Parses the text of a lockfile of either format; {@code location} names it in error messages. */
  static PlatformLockfiles parse(String text, String location) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // The single-platform parser reports invalid JSON with the line number.
      return new PlatformLockfiles(List.of(LockfileFormat.parse(text, location)));
    }
    if (root == null || !root.isObject() || !root.has("platforms")) {
      return new PlatformLockfiles(List.of(LockfileFormat.parse(text, location)));
    }
    Iterator<String> names = root.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals("platforms") && !name.equals("lockfileVersion")) {
        throw new ImageBuildException(
            "invalid lockfile " + location + ": unknown field '" + name + "' beside 'platforms'."
                + " Run mvn image:lock to write the lockfile again.");
      }
    }
    JsonNode version = root.path("lockfileVersion");
    if (!version.isIntegralNumber() || version.asLong() != Lockfile.VERSION) {
      throw new ImageBuildException(
          "unsupported lockfile " + location + ": lockfileVersion " + version + ", this plugin reads"
              + " version " + Lockfile.VERSION + ". Run mvn image:lock to write the lockfile again.");
    }
    JsonNode platforms = root.get("platforms");
    if (!platforms.isArray() || platforms.isEmpty()) {
      throw new ImageBuildException(
          "invalid lockfile " + location + ": 'platforms' must be a non-empty array of lockfiles."
              + " Run mvn image:lock to write the lockfile again.");
    }
    List<Lockfile> locks = new ArrayList<>();
    for (int i = 0; i < platforms.size(); i++) {
      Lockfile lock = LockfileFormat.parse(platforms.get(i).toString(), location + " platforms[" + i + "]");
      if (locks.stream().anyMatch(earlier -> earlier.architecture().equals(lock.architecture()))) {
        throw new ImageBuildException(
            "invalid lockfile " + location + ": architecture " + lock.architecture() + " is locked"
                + " twice. Run mvn image:lock to write the lockfile again.");
      }
      locks.add(lock);
    }
    return new PlatformLockfiles(locks);
  }

  /** Writes the file, replacing it atomically. */
  public void write(Path file) {
    LockfileFormat.writeAtomically(file, toJson());
  }
}
