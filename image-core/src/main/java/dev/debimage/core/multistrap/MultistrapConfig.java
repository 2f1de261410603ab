package dev.debimage.core.multistrap;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.multistrap.MultistrapKeys.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A multistrap configuration file with the files it includes, merged as multistrap merges them:
 * a {@code [General]} section and repository sections of {@code key=value} lines.
 *
 * <p>Section names and keys are compared in lower case. Only {@code packages} may repeat, and its
 * lines add up. A value must be on the key's line. In {@code [General]}, the including file's
 * value wins over an included file's, and the list keys {@code bootstrap}, {@code debootstrap},
 * {@code aptsources} and {@code multiarch} add up. A repository section may be defined in only one
 * file. Every key must be one that {@link MultistrapKeys} lists.
 */
public final class MultistrapConfig {

  private static final String GENERAL = "general";

  /**
   * One {@code key=value} line.
   *
   * @param key the key in lower case
   * @param text the value, without surrounding white space
   * @param file the file the line is in
   * @param line the line number, from 1
   */
  public record Value(String key, String text, Path file, int line) {

    /** Returns {@code FILE line N}, for messages. */
    public String where() {
      return file + " line " + line;
    }

    /** Returns the value split at white space; empty for an empty value. */
    public List<String> words() {
      return text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
    }
  }

  /**
   * A repository section.
   *
   * @param name the name as the file writes it
   * @param file the file that defines it
   * @param line the line of its header
   * @param values its values by lower-case key, each list in file order
   */
  public record Section(String name, Path file, int line, Map<String, List<Value>> values) {

    public Section {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Returns the first value of {@code key}; only {@code packages} can have more than one. */
    public Optional<Value> value(String key) {
      List<Value> list = values.getOrDefault(key, List.of());
      return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** Returns every value of {@code key}, such as each {@code packages=} line. */
    public List<Value> all(String key) {
      return values.getOrDefault(key, List.of());
    }

    /** Returns where the section starts, for messages. */
    public String where() {
      return "[" + name + "] in " + file + " line " + line;
    }
  }

  private final Path file;
  private final Map<String, List<Value>> general;
  private final Map<String, Section> sections;
  private final List<Path> includes;

  private MultistrapConfig(
      Path file, Map<String, List<Value>> general, Map<String, Section> sections, List<Path> includes) {
    this.file = file;
    this.general = general;
    this.sections = sections;
    this.includes = includes;
  }

  /**
   * Reads and merges a configuration file and the files it includes.
   *
   * @throws ImageBuildException naming the file and line of the first invalid line or key
   */
  public static MultistrapConfig parse(Path file) {
    return new Merger().merge(file.toAbsolutePath().normalize(), readFile(file), null);
  }

  /**
   * Parses configuration text as if it were the file {@code file}; {@code include=} paths are
   * resolved against {@code file}'s directory and read from disk.
   */
  public static MultistrapConfig parse(String text, Path file) {
    return new Merger().merge(file.toAbsolutePath().normalize(), text, null);
  }

  /** The file named on the command line or in the pom. */
  public Path file() {
    return file;
  }

  /** Every included file, in the order they were read. */
  public List<Path> includes() {
    return includes;
  }

  /**
   * Returns the effective [General] value of {@code key} (lower case): the one from the including
   * file when several files set it.
   */
  public Optional<Value> general(String key) {
    List<Value> values = general.getOrDefault(key, List.of());
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Returns every [General] value of {@code key}, the including file's first. */
  public List<Value> generalAll(String key) {
    return general.getOrDefault(key, List.of());
  }

  /** Returns the [General] keys that any file sets. */
  public Set<String> generalKeys() {
    return general.keySet();
  }

  /** The repository sections by lower-case name. */
  public Map<String, Section> sections() {
    return sections;
  }

  private static String readFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ImageBuildException(
          "multistrap configuration " + file + " not found: check the path");
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read multistrap configuration " + file + ": " + e.getMessage(), e);
    }
  }

  /** The sections of one file, before merging. */
  private record ParsedFile(Map<String, List<Value>> general, Map<String, Section> sections) {}

  /** Merges a file and its includes, depth first, and detects include cycles. */
  private static final class Merger {
    private final Map<String, List<Value>> general = new LinkedHashMap<>();
    private final Map<String, Section> sections = new LinkedHashMap<>();
    private final List<Path> includes = new ArrayList<>();
    private final LinkedHashSet<Path> reading = new LinkedHashSet<>();
    private Path top;

    MultistrapConfig merge(Path file, String text, Value includedBy) {
      if (top == null) {
        top = file;
      }
      if (!reading.add(file)) {
        throw new ImageBuildException(
            "include cycle at " + includedBy.where() + ": " + file + " is already being read"
                + " (chain " + reading + "); remove one of the include= lines");
      }
      ParsedFile parsed = parseFile(text, file);
      parsed.general().forEach((key, values) -> {
        List<Value> merged = general.computeIfAbsent(key, k -> new ArrayList<>());
        merged.addAll(values);
      });
      for (Map.Entry<String, Section> entry : parsed.sections().entrySet()) {
        Section earlier = sections.putIfAbsent(entry.getKey(), entry.getValue());
        if (earlier != null) {
          throw new ImageBuildException(
              "section " + entry.getValue().where() + " is also defined as " + earlier.where()
                  + ": multistrap requires section names to be unique across a file and the files"
                  + " it includes; rename one of them");
        }
      }
      for (Value include : parsed.general().getOrDefault("include", List.of())) {
        for (String name : include.words()) {
          Path path = file.getParent().resolve(name).normalize();
          if (!Files.isRegularFile(path)) {
            throw new ImageBuildException(
                "included file '" + name + "' at " + include.where() + " not found (looked for "
                    + path + "): paths are relative to the including file's directory");
          }
          includes.add(path);
          merge(path, readFile(path), include);
        }
      }
      reading.remove(file);
      return new MultistrapConfig(top, freeze(general), Collections.unmodifiableMap(sections), List.copyOf(includes));
    }

    private static Map<String, List<Value>> freeze(Map<String, List<Value>> map) {
      Map<String, List<Value>> copy = new LinkedHashMap<>();
      map.forEach((key, values) -> copy.put(key, List.copyOf(values)));
      return Collections.unmodifiableMap(copy);
    }
  }

  /** Parses one file's lines into its [General] values and repository sections. */
  private static ParsedFile parseFile(String text, Path file) {
    Map<String, List<Value>> general = new LinkedHashMap<>();
    Map<String, Section> sections = new LinkedHashMap<>();
    Map<String, Map<String, List<Value>>> sectionValues = new LinkedHashMap<>();
    Map<String, List<Value>> current = null;
    String currentName = null;
    boolean inGeneral = false;

    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.length() < 3) {
          throw new ImageBuildException(
              "invalid section header '" + line + "' in " + file + " line " + number
                  + ": write a section name in brackets, such as [General]");
        }
        currentName = line.substring(1, line.length() - 1).strip();
        String lower = currentName.toLowerCase(Locale.ROOT);
        inGeneral = lower.equals(GENERAL);
        if (inGeneral) {
          current = general;
        } else {
          current = sectionValues.get(lower);
          if (current == null) {
            current = new LinkedHashMap<>();
            sectionValues.put(lower, current);
            sections.put(lower, new Section(currentName, file, number, Map.of()));
          }
        }
        continue;
      }
      int equals = line.indexOf('=');
      if (equals < 0) {
        throw new ImageBuildException(
            "invalid line '" + line + "' in " + file + " line " + number + ": multistrap needs"
                + " key=value on every line and a value on the same line as its key; to list more"
                + " packages, add another packages= line");
      }
      String key = line.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(equals + 1).strip();
      if (current == null) {
        throw new ImageBuildException(
            "key '" + key + "' in " + file + " line " + number + " is outside any section: put it"
                + " below [General] or a repository section");
      }
      Scope scope = inGeneral ? Scope.GENERAL : Scope.REPOSITORY;
      checkKnown(key, scope, currentName, file, number);
      List<Value> values = current.computeIfAbsent(key, k -> new ArrayList<>());
      if (!values.isEmpty() && !key.equals("packages")) {
        throw new ImageBuildException(
            "key '" + key + "' in [" + currentName + "] is set twice, at " + values.get(0).where()
                + " and at " + file + " line " + number + ": multistrap allows only packages= to"
                + " repeat; keep one line");
      }
      values.add(new Value(key, value, file, number));
    }

    Map<String, Section> complete = new LinkedHashMap<>();
    sections.forEach((lower, header) ->
        complete.put(lower, new Section(header.name(), file, header.line(), sectionValues.get(lower))));
    return new ParsedFile(general, complete);
  }

  private static void checkKnown(String key, Scope scope, String section, Path file, int line) {
    if (MultistrapKeys.find(key, scope).isPresent()) {
      return;
    }
    Scope other = scope == Scope.GENERAL ? Scope.REPOSITORY : Scope.GENERAL;
    String hint =
        MultistrapKeys.find(key, other).isPresent()
            ? (other == Scope.GENERAL
                ? "it belongs in [General]"
                : "it belongs in a repository section, not [General]")
            : "multistrap documents no such key; docs/multistrap.md lists the keys";
    throw new ImageBuildException(
        "unknown key '" + key + "' in [" + section + "] at " + file + " line " + line + ": " + hint);
  }
}
