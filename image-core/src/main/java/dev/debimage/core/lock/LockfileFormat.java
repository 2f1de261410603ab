package dev.debimage.core.lock;

import dev.debimage.core.report.Distribution;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.resolution.DebianVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import dev.debimage.core.fetch.DownloadCache;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Converts a {@link Lockfile} to and from its JSON form, and validates every field on the way in.
 */
final class LockfileFormat {

  private static final Set<String> TOP_FIELDS =
      Set.of("lockfileVersion", "inputsDigest", "architecture", "distribution", "suites", "packages");
  private static final Set<String> DISTRIBUTION_FIELDS = Set.of("namespace", "distro");
  private static final Set<String> SUITE_FIELDS = Set.of("uri", "suite", "date");
  private static final Set<String> PACKAGE_FIELDS =
      Set.of(
          "name", "version", "architecture", "sha256", "size", "source", "sourceVersion", "suite",
          "component", "archiveRoot", "filename", "reason");

  private static final String NAME_PATTERN = "[a-z0-9][a-z0-9+.-]*";
  private static final String FIX = "Run mvn image:lock to write the lockfile again.";

  /** Holds the mapper, so that a build that finds the lockfile in the cache never creates one. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  private LockfileFormat() {}

  static String toJson(Lockfile lock) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    Map<String, JsonNode> top = new TreeMap<>();
    top.put("architecture", Json.MAPPER.getNodeFactory().textNode(lock.architecture()));
    ObjectNode distribution = Json.MAPPER.createObjectNode();
    distribution.put("distro", lock.distribution().distro());
    distribution.put("namespace", lock.distribution().namespace());
    top.put("distribution", distribution);
    top.put("inputsDigest", Json.MAPPER.getNodeFactory().textNode(lock.inputsDigest()));
    top.put("lockfileVersion", Json.MAPPER.getNodeFactory().numberNode(Lockfile.VERSION));
    ArrayNode suites = Json.MAPPER.createArrayNode();
    for (LockedSuite suite : lock.suites()) {
      ObjectNode node = suites.addObject();
      suite.date().ifPresent(date -> node.put("date", date.toString()));
      node.put("suite", suite.suite());
      node.put("uri", suite.uri().toString());
    }
    top.put("suites", suites);
    ArrayNode packages = Json.MAPPER.createArrayNode();
    for (LockedPackage pkg : lock.packages()) {
      ObjectNode node = packages.addObject();
      node.put("archiveRoot", pkg.archiveRoot().toString());
      node.put("architecture", pkg.architecture());
      node.put("component", pkg.component());
      node.put("filename", pkg.filename());
      node.put("name", pkg.name());
      node.put("reason", pkg.reason());
      node.put("sha256", pkg.sha256());
      node.put("size", pkg.size());
      node.put("source", pkg.source());
      node.put("sourceVersion", pkg.sourceVersion());
      node.put("suite", pkg.suite());
      node.put("version", pkg.version());
    }
    top.put("packages", packages);
    top.forEach(root::set);

    return print(root);
  }

  /**
   * Returns {@code root} as a lockfile writes JSON: two-space indentation, {@code "key": value},
   * and a newline at the end.
   */
  static String print(JsonNode root) {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    try {
      return Json.MAPPER.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("failed to write a JSON tree", e);
    }
  }

  /** Returns the text of the lockfile {@code file}. */
  static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read the lockfile " + file + ": " + e.getMessage()
              + ". Check its permissions, or delete it and run mvn image:lock", e);
    }
  }

  /** Writes {@code text} to the lockfile {@code file}, replacing it atomically. */
  static void writeAtomically(Path file, String text) {
    Path absolute = file.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent());
      Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
      try {
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        DownloadCache.moveIntoPlace(temporary, absolute);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to write the lockfile " + file + ": " + e.getMessage()
              + ". Check that its directory is writable", e);
    }
  }

  static Lockfile parse(String text, String location) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ImageBuildException(
          "invalid lockfile " + location + ": not valid JSON (" + e.getOriginalMessage() + " at line "
              + e.getLocation().getLineNr() + "). Fix the file, or " + lowerFirst(FIX));
    }
    if (root == null || !root.isObject()) {
      throw new ImageBuildException(
          "invalid lockfile " + location + ": expected a JSON object. " + FIX);
    }
    String where = location;
    checkFields(root, TOP_FIELDS, where);
    JsonNode version = require(root, "lockfileVersion", where);
    if (!version.isIntegralNumber()) {
      throw invalid(where, "lockfileVersion", version, "expected the number " + Lockfile.VERSION);
    }
    if (version.asLong() != Lockfile.VERSION) {
      throw new ImageBuildException(
          "unsupported lockfile " + location + ": lockfileVersion " + version + ", this plugin reads"
              + " version " + Lockfile.VERSION + ". Use the plugin version that wrote it, or " + lowerFirst(FIX));
    }
    String digest = text(root, "inputsDigest", where);
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw invalid(where, "inputsDigest", root.get("inputsDigest"), "expected sha256: and 64 lower-case hex digits");
    }
    String architecture = text(root, "architecture", where);
    if (!architecture.matches("[a-z0-9][a-z0-9-]*")) {
      throw invalid(where, "architecture", root.get("architecture"), "expected a Debian architecture such as amd64");
    }

    JsonNode distributionNode = require(root, "distribution", where);
    if (!distributionNode.isObject()) {
      throw invalid(where, "distribution", distributionNode, "expected an object with namespace and distro");
    }
    String distributionWhere = where + " distribution";
    checkFields(distributionNode, DISTRIBUTION_FIELDS, distributionWhere);
    Distribution distribution = new Distribution(
        word(distributionNode, "namespace", distributionWhere), word(distributionNode, "distro", distributionWhere));

    List<LockedSuite> suites = new ArrayList<>();
    Set<String> suiteKeys = new HashSet<>();
    JsonNode suiteArray = array(root, "suites", where);
    for (int i = 0; i < suiteArray.size(); i++) {
      LockedSuite suite = parseSuite(suiteArray.get(i), location + ", suites[" + i + "]");
      if (!suiteKeys.add(suite.uri() + " " + suite.suite())) {
        throw new ImageBuildException(
            "invalid lockfile " + location + ": suite " + suite.suite() + " of " + suite.uri()
                + " is listed twice. " + FIX);
      }
      suites.add(suite);
    }

    List<LockedPackage> packages = new ArrayList<>();
    Set<String> packageKeys = new TreeSet<>();
    JsonNode packageArray = array(root, "packages", where);
    for (int i = 0; i < packageArray.size(); i++) {
      JsonNode node = packageArray.get(i);
      String entry = location + ", packages[" + i + "]";
      if (node.isObject() && node.path("name").isTextual()) {
        entry += " (" + node.get("name").asText() + ")";
      }
      LockedPackage pkg = parsePackage(node, entry, architecture, suiteKeys);
      if (!packageKeys.add(pkg.name() + ":" + pkg.architecture())) {
        throw new ImageBuildException(
            "invalid lockfile " + entry + ": package " + pkg.name() + " is listed twice. " + FIX);
      }
      packages.add(pkg);
    }
    return new Lockfile(digest, architecture, suites, packages, distribution);
  }

  private static LockedSuite parseSuite(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new ImageBuildException("invalid lockfile " + where + ": expected an object. " + FIX);
    }
    checkFields(node, SUITE_FIELDS, where);
    URI uri = uri(node, "uri", where);
    String suite = word(node, "suite", where);
    Optional<Instant> date = Optional.empty();
    JsonNode dateNode = node.get("date");
    if (dateNode != null && !dateNode.isNull()) {
      if (!dateNode.isTextual()) {
        throw invalid(where, "date", dateNode, "expected an ISO 8601 instant such as 2024-06-29T09:00:00Z");
      }
      try {
        date = Optional.of(Instant.parse(dateNode.asText()));
      } catch (DateTimeParseException e) {
        throw invalid(where, "date", dateNode, "expected an ISO 8601 instant such as 2024-06-29T09:00:00Z");
      }
    }
    return new LockedSuite(uri, suite, date);
  }

  private static LockedPackage parsePackage(
      JsonNode node, String where, String lockArchitecture, Set<String> suiteKeys) {
    if (!node.isObject()) {
      throw new ImageBuildException("invalid lockfile " + where + ": expected an object. " + FIX);
    }
    checkFields(node, PACKAGE_FIELDS, where);
    String name = text(node, "name", where);
    if (!name.matches(NAME_PATTERN)) {
      throw invalid(where, "name", node.get("name"), "expected a Debian package name");
    }
    String version = debianVersion(node, "version", where);
    String architecture = text(node, "architecture", where);
    if (!architecture.equals(lockArchitecture) && !architecture.equals("all")) {
      throw invalid(where, "architecture", node.get("architecture"),
          "expected the lock's architecture " + lockArchitecture + " or all");
    }
    String sha256 = text(node, "sha256", where);
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw invalid(where, "sha256", node.get("sha256"), "expected 64 lower-case hex digits");
    }
    JsonNode sizeNode = require(node, "size", where);
    if (!sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong() || sizeNode.asLong() < 0) {
      throw invalid(where, "size", sizeNode, "expected a size in bytes, a whole number of 0 or more");
    }
    String source = text(node, "source", where);
    if (!source.matches(NAME_PATTERN)) {
      throw invalid(where, "source", node.get("source"), "expected a source package name");
    }
    String sourceVersion = debianVersion(node, "sourceVersion", where);
    String suite = word(node, "suite", where);
    String component = word(node, "component", where);
    URI archiveRoot = uri(node, "archiveRoot", where);
    if (!suiteKeys.contains(archiveRoot + " " + suite)) {
      throw new ImageBuildException(
          "invalid lockfile " + where + ": suite " + suite + " of " + archiveRoot
              + " is not among the lockfile's suites. " + FIX);
    }
    String filename = text(node, "filename", where);
    if (!isPoolPath(filename)) {
      throw invalid(where, "filename", node.get("filename"),
          "expected a relative path below the archive root, such as pool/main/c/curl/curl_7.88.1-10_amd64.deb");
    }
    String reason = text(node, "reason", where);
    if (reason.isBlank()) {
      throw invalid(where, "reason", node.get("reason"), "expected requested or needed by NAME");
    }
    LockedPackage pkg =
        new LockedPackage(name, version, architecture, sha256, sizeNode.asLong(), source, sourceVersion,
            suite, component, archiveRoot, filename, reason);
    try {
      pkg.toBinaryPackage().debUri();
    } catch (IllegalArgumentException e) {
      throw invalid(where, "filename", node.get("filename"), "it does not form a valid URL below " + archiveRoot);
    }
    return pkg;
  }

  private static boolean isPoolPath(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= ' ' || c == '\\' || c == '?' || c == '#' || c == 0x7f) {
        return false;
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static void checkFields(JsonNode node, Set<String> allowed, String where) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new ImageBuildException(
            "invalid lockfile " + where + ": unknown field '" + name + "'; the fields are "
                + String.join(", ", new TreeSet<>(allowed)) + ". " + FIX);
      }
    }
  }

  private static JsonNode require(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new ImageBuildException(
          "invalid lockfile " + where + ": missing field '" + field + "'. " + FIX);
    }
    return value;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = require(node, field, where);
    if (!value.isTextual()) {
      throw invalid(where, field, value, "expected a string");
    }
    return value.asText();
  }

  private static String word(JsonNode node, String field, String where) {
    String value = text(node, field, where);
    if (value.isEmpty() || !value.equals(value.strip()) || value.chars().anyMatch(Character::isWhitespace)) {
      throw invalid(where, field, node.get(field), "expected a name without spaces");
    }
    return value;
  }

  private static JsonNode array(JsonNode node, String field, String where) {
    JsonNode value = require(node, field, where);
    if (!value.isArray()) {
      throw invalid(where, field, value, "expected an array");
    }
    return value;
  }

  private static String debianVersion(JsonNode node, String field, String where) {
    String value = text(node, field, where);
    try {
      DebianVersion.parse(value);
    } catch (ImageBuildException e) {
      throw invalid(where, field, node.get(field), "not a Debian version: " + e.getMessage());
    }
    return value;
  }

  private static URI uri(JsonNode node, String field, String where) {
    String value = text(node, field, where);
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || !uri.isAbsolute() || uri.isOpaque()) {
        throw new URISyntaxException(value, "not an absolute URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw invalid(where, field, node.get(field), "expected an absolute http, https or file URL");
    }
  }

  private static ImageBuildException invalid(String where, String field, JsonNode value, String expected) {
    return new ImageBuildException(
        "invalid lockfile " + where + ": field '" + field + "' is " + value + "; " + expected
            + ". " + FIX);
  }

  private static String lowerFirst(String text) {
    return Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }
}
