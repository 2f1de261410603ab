package dev.debimage.core.sources;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the package sources of the build host's apt configuration: {@code sources.list} and the
 * {@code *.list} and {@code *.sources} files of {@code sources.list.d}, as sources.list(5)
 * describes them, or a single sources file of either format. Only {@code deb} entries count;
 * {@code deb-src} entries are skipped.
 */
public final class HostAptSources {

  private HostAptSources() {}

  /** Reads the sources configured under {@code /etc/apt}. */
  public static List<SourceSpec> readHost() {
    return read(Path.of("/etc/apt"));
  }

  /**
   * Reads {@code etcApt/sources.list}, then the {@code *.list} and {@code *.sources} files of
   * {@code etcApt/sources.list.d} in sorted name order, keeping entries in file order. Files with
   * other names are ignored, as apt ignores them. Missing files yield no sources.
   *
   * @throws ImageBuildException naming the file and line or stanza of a malformed entry
   */
  public static List<SourceSpec> read(Path etcApt) {
    List<SourceSpec> sources = new ArrayList<>();
    Path sourcesList = etcApt.resolve("sources.list");
    if (Files.isRegularFile(sourcesList)) {
      sources.addAll(readOneLineFile(sourcesList));
    }
    Path directory = etcApt.resolve("sources.list.d");
    if (Files.isDirectory(directory)) {
      for (Path file : listSorted(directory)) {
        String name = file.getFileName().toString();
        if (name.endsWith(".list")) {
          sources.addAll(readOneLineFile(file));
        } else if (name.endsWith(".sources")) {
          sources.addAll(readDeb822File(file));
        }
      }
    }
    return List.copyOf(sources);
  }

  /**
   * Reads one apt sources file, such as one a team already uses with apt: the deb822 format when
   * its name ends with {@code .sources}, the one-line format when it ends with {@code .list}, as
   * apt distinguishes them. Only {@code deb} entries count; {@code deb-src} entries are skipped.
   *
   * @throws ImageBuildException when the file is missing, has another name, or has a malformed
   *     entry, naming the file and line or stanza
   */
  public static List<SourceSpec> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ImageBuildException("apt sources file not found: " + file + "; check the path");
    }
    String name = file.getFileName().toString();
    if (name.endsWith(".sources")) {
      return List.copyOf(readDeb822File(file));
    }
    if (name.endsWith(".list")) {
      return List.copyOf(readOneLineFile(file));
    }
    throw new ImageBuildException(
        "unsupported apt sources file name " + file + ": name a deb822 file *.sources and a one-line"
            + " file *.list, as apt requires");
  }

  /** Returns how to name package sources in the pom, for when the host has none. */
  public static String howToConfigure() {
    return String.join(
        "\n",
        "no package sources: this machine's /etc/apt lists none, so name them in the plugin"
            + " configuration, for example:",
        "  <sources>",
        "    <source>",
        "      <uris><uri>http://MIRROR-URL/debian</uri></uris>",
        "      <suites><suite>bookworm</suite><suite>bookworm-updates</suite></suites>",
        "      <components><component>main</component></components>",
        "    </source>",
        "  </sources>",
        "Replace MIRROR-URL with your Debian mirror. Without <signedBy>, Release files are"
            + " checked against the bundled Debian and Ubuntu archive keys; other archives need"
            + " <signedBy>.");
  }

  private static List<Path> listSorted(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new ImageBuildException("failed to list " + directory + ": " + e.getMessage(), e);
    }
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ImageBuildException("failed to read apt sources file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses the one-line format: {@code deb [option=value ...] URI SUITE [COMPONENT ...]}. */
  private static List<SourceSpec> readOneLineFile(Path file) {
    List<SourceSpec> sources = new ArrayList<>();
    String[] lines = readText(file).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int comment = line.indexOf('#');
      if (comment >= 0) {
        line = line.substring(0, comment);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String origin = file + " line " + (i + 1);
      parseOneLine(line, origin).ifPresent(sources::add);
    }
    return sources;
  }

  private static Optional<SourceSpec> parseOneLine(String line, String origin) {
    List<String> words = new ArrayList<>(Arrays.asList(line.split("\\s+")));
    String type = words.remove(0);
    if (type.equals("deb-src")) {
      return Optional.empty();
    }
    if (!type.equals("deb")) {
      throw new ImageBuildException(
          "invalid entry in " + origin + ": type '" + type + "' is neither deb nor deb-src;"
              + " fix or remove the line");
    }
    List<String> architectures = List.of();
    Optional<String> signedBy = Optional.empty();
    boolean allowExpired = false;
    boolean trusted = false;
    if (!words.isEmpty() && words.get(0).startsWith("[")) {
      StringBuilder options = new StringBuilder();
      while (!words.isEmpty()) {
        String word = words.remove(0);
        options.append(word).append(' ');
        if (word.endsWith("]")) {
          break;
        }
      }
      String body = options.toString().strip();
      if (!body.endsWith("]")) {
        throw new ImageBuildException(
            "invalid entry in " + origin + ": the option list '" + body + "' has no closing ']'");
      }
      for (String option : body.substring(1, body.length() - 1).strip().split("\\s+")) {
        if (option.isEmpty()) {
          continue;
        }
        int equals = option.indexOf('=');
        if (equals <= 0) {
          throw new ImageBuildException(
              "invalid option '" + option + "' in " + origin + ": expected name=value, such as arch=amd64");
        }
        String name = option.substring(0, equals);
        String value = option.substring(equals + 1);
        if (name.equals("arch")) {
          architectures = List.of(value.split(","));
        } else if (name.equals("signed-by")) {
          signedBy = Optional.of(value);
        } else if (name.equals("check-valid-until")) {
          allowExpired = !parseYesNo(value, "check-valid-until", origin);
        } else if (name.equals("trusted")) {
          trusted = parseYesNo(value, "trusted", origin);
        }
      }
    }
    if (words.size() < 2) {
      throw new ImageBuildException(
          "invalid entry in " + origin + ": expected 'deb URI SUITE COMPONENT...', found '" + line + "'");
    }
    URI uri = parseUri(words.remove(0), origin);
    String suite = words.remove(0);
    return Optional.of(
        new SourceSpec(List.of(uri), List.of(suite), words, architectures, signedBy, origin, allowExpired)
            .withTrusted(trusted));
  }

  private static List<SourceSpec> readDeb822File(Path file) {
    List<SourceSpec> sources = new ArrayList<>();
    List<Stanza> stanzas = Deb822.parse(readText(file), file.toString());
    for (int i = 0; i < stanzas.size(); i++) {
      Stanza stanza = stanzas.get(i);
      String origin = file + " stanza " + (i + 1);
      if (stanza.get("Enabled", "yes").strip().equalsIgnoreCase("no")) {
        continue;
      }
      if (stanza.words("Types").isEmpty()) {
        throw new ImageBuildException(
            "invalid stanza in " + origin + ": Types is missing; add 'Types: deb' or set 'Enabled: no'");
      }
      if (!stanza.words("Types").contains("deb")) {
        continue;
      }
      List<String> uriWords = stanza.words("URIs");
      List<String> suites = stanza.words("Suites");
      if (uriWords.isEmpty() || suites.isEmpty()) {
        throw new ImageBuildException(
            "invalid stanza in " + origin + ": " + (uriWords.isEmpty() ? "URIs" : "Suites")
                + " is missing or empty; add it or set 'Enabled: no'");
      }
      List<URI> uris = new ArrayList<>();
      for (String word : uriWords) {
        uris.add(parseUri(word, origin));
      }
      List<String> components = stanza.words("Components");
      boolean flat = suites.stream().allMatch(s -> s.endsWith("/"));
      if (components.isEmpty() && !flat) {
        throw new ImageBuildException(
            "invalid stanza in " + origin + ": Components is missing; add it (such as 'Components:"
                + " main'), or end each suite with '/' for a flat repository");
      }
      Optional<String> signedBy = stanza.get("Signed-By").map(String::strip).filter(s -> !s.isEmpty());
      boolean allowExpired =
          stanza.get("Check-Valid-Until").map(v -> !parseYesNo(v, "Check-Valid-Until", origin)).orElse(false);
      boolean trusted = stanza.get("Trusted").map(v -> parseYesNo(v, "Trusted", origin)).orElse(false);
      sources.add(new SourceSpec(
          uris, suites, components, stanza.words("Architectures"), signedBy, origin, allowExpired)
          .withTrusted(trusted));
    }
    return sources;
  }

  /** Parses a boolean option as apt writes it: yes or no (also true/false, 1/0). */
  private static boolean parseYesNo(String value, String option, String origin) {
    switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "yes", "true", "1":
        return true;
      case "no", "false", "0":
        return false;
      default:
        throw new ImageBuildException(
            "invalid value '" + value.strip() + "' of " + option + " in " + origin + ": use yes or no");
    }
  }

  private static URI parseUri(String text, String origin) {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null) {
        throw new URISyntaxException(text, "no scheme such as http:");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ImageBuildException(
          "invalid URI '" + text + "' in " + origin + ": " + e.getReason()
              + "; use an absolute URI such as http://MIRROR-URL/debian", e);
    }
  }
}
