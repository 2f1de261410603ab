package dev.debimage.core.assembly;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sets up links as update-alternatives (dpkg 1.21) does in automatic mode: {@code link ->
 * /etc/alternatives/name -> path} for the candidate with the highest priority, the same for each
 * of its follower links whose file exists, and the state file
 * {@code var/lib/dpkg/alternatives/name}.
 */
public final class Alternatives {

  private Alternatives() {}

  /**
   * Applies the registrations in the order the packages' postinst scripts made them. A
   * candidate missing from the tree is dropped with a warning, where update-alternatives fails.
   * A link path that a package ships as a file or directory is left alone with a warning, as
   * update-alternatives does without {@code --force}. On equal priorities the candidate
   * registered first stays selected, as update-alternatives keeps its current choice.
   */
  public static void apply(
      FileTree tree, List<AlternativeRegistration> registrations, Instant mtime,
      BuildListener listener) {
    Map<String, List<AlternativeRegistration>> byName = new TreeMap<>();
    for (AlternativeRegistration registration : registrations) {
      if (tree.resolve(registration.path().substring(1)).isEmpty()) {
        listener.warn("alternative " + registration.name() + ": candidate " + registration.path()
            + " is not in the image, so it is not registered");
        continue;
      }
      List<AlternativeRegistration> candidates =
          byName.computeIfAbsent(registration.name(), name -> new ArrayList<>());
      // A second --install of the same path updates its priority and followers in place.
      candidates.removeIf(candidate -> candidate.path().equals(registration.path()));
      candidates.add(registration);
    }

    for (Map.Entry<String, List<AlternativeRegistration>> group : byName.entrySet()) {
      applyGroup(tree, group.getKey(), group.getValue(), mtime, listener);
    }
  }

  private static void applyGroup(FileTree tree, String name,
      List<AlternativeRegistration> candidates, Instant mtime, BuildListener listener) {
    String link = candidates.get(0).link();
    // Follower names in registration order, each with its latest link path.
    Map<String, String> slaveLinks = new LinkedHashMap<>();
    for (AlternativeRegistration candidate : candidates) {
      if (!candidate.link().equals(link)) {
        throw new ImageBuildException(
            "alternative " + name + " is registered with two links, " + link + " and "
                + candidate.link() + "; each alternative has one link");
      }
      for (AlternativeRegistration.Slave slave : candidate.slaves()) {
        slaveLinks.put(slave.name(), slave.link());
      }
    }
    AlternativeRegistration best = candidates.get(0);
    for (AlternativeRegistration candidate : candidates) {
      if (candidate.priority() > best.priority()) {
        best = candidate;
      }
    }

    tree.addGeneratedDirectory("etc/alternatives", 0755, 0, 0, mtime);
    tree.addGeneratedDirectory("var/lib/dpkg/alternatives", 0755, 0, 0, mtime);
    tree.addGeneratedFile("var/lib/dpkg/alternatives/" + name,
        stateFile(link, slaveLinks, candidates).getBytes(StandardCharsets.UTF_8), 0644, 0, 0,
        mtime);
    tree.addGeneratedSymlink("etc/alternatives/" + name, best.path(), mtime);
    placeLink(tree, name, link, mtime, listener);
    for (AlternativeRegistration.Slave slave : best.slaves()) {
      if (tree.resolve(slave.path().substring(1)).isEmpty()) {
        // update-alternatives skips a follower whose file does not exist, such as a manual page
        // that the path filters dropped.
        continue;
      }
      tree.addGeneratedSymlink("etc/alternatives/" + slave.name(), slave.path(), mtime);
      placeLink(tree, slave.name(), slave.link(), mtime, listener);
    }
  }

  private static void placeLink(
      FileTree tree, String name, String link, Instant mtime, BuildListener listener) {
    String linkPath = MergedUsr.fold(link.substring(1));
    FileEntry existing = tree.get(linkPath).orElse(null);
    if (existing != null && existing.type() != EntryType.SYMLINK) {
      listener.warn("alternative " + name + ": " + link + " is a file of package "
          + existing.ownerPackage().orElse("(generated)") + ", so it is left as it is");
      return;
    }
    tree.addGeneratedSymlink(linkPath, "/etc/alternatives/" + name, mtime);
  }

  /**
   * Formats an update-alternatives state file. It starts with the mode, the link, and each
   * follower's name and link, sorted by name, and an empty line. Then come the candidates,
   * sorted by path, each with its path, its priority and its file for each follower (an empty
   * line where it has none). A final empty line ends the file.
   */
  static String stateFile(
      String link, Map<String, String> slaveLinks, List<AlternativeRegistration> candidates) {
    Map<String, String> slaves = new TreeMap<>(slaveLinks);
    StringBuilder text = new StringBuilder();
    text.append("auto\n").append(link).append('\n');
    slaves.forEach((name, slaveLink) -> text.append(name).append('\n').append(slaveLink)
        .append('\n'));
    text.append('\n');
    List<AlternativeRegistration> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparing(AlternativeRegistration::path));
    for (AlternativeRegistration candidate : sorted) {
      text.append(candidate.path()).append('\n').append(candidate.priority()).append('\n');
      for (String slaveName : slaves.keySet()) {
        String path = candidate.slaves().stream().filter(slave -> slave.name().equals(slaveName))
            .map(AlternativeRegistration.Slave::path).findFirst().orElse("");
        text.append(path).append('\n');
      }
    }
    text.append('\n');
    return text.toString();
  }
}
