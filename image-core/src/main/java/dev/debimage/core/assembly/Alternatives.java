package dev.debimage.core.assembly;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sets up links as update-alternatives does in automatic mode: {@code link -> /etc/alternatives/name
 * -> path} for the candidate with the highest priority, and the state file
 * {@code var/lib/dpkg/alternatives/name}.
 */
public final class Alternatives {

  private Alternatives() {}

  /**
   * Applies the registrations. Candidates missing from the tree are dropped, as
   * update-alternatives drops them; a link path that a package ships as a file or directory is
   * left alone with a warning, as update-alternatives does without {@code --force}.
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
      byName.computeIfAbsent(registration.name(), name -> new ArrayList<>()).add(registration);
    }

    for (Map.Entry<String, List<AlternativeRegistration>> group : byName.entrySet()) {
      String name = group.getKey();
      List<AlternativeRegistration> candidates = group.getValue();
      candidates.sort(Comparator.comparing(AlternativeRegistration::path));
      String link = candidates.get(0).link();
      for (AlternativeRegistration candidate : candidates) {
        if (!candidate.link().equals(link)) {
          throw new ImageBuildException(
              "alternative " + name + " is registered with two links, " + link + " and "
                  + candidate.link() + "; each alternative has one link");
        }
      }
      String linkPath = link.substring(1);
      FileEntry existing = tree.get(linkPath).orElse(null);
      if (existing != null && existing.type() != EntryType.SYMLINK) {
        listener.warn("alternative " + name + ": " + link + " is a file of package "
            + existing.ownerPackage().orElse("(generated)") + ", so it is left as it is");
        continue;
      }
      AlternativeRegistration best = candidates.get(0);
      for (AlternativeRegistration candidate : candidates) {
        if (candidate.priority() > best.priority()) {
          best = candidate;
        }
      }
      tree.addGeneratedDirectory("etc/alternatives", 0755, 0, 0, mtime);
      tree.addGeneratedSymlink("etc/alternatives/" + name, best.path(), mtime);
      tree.addGeneratedSymlink(linkPath, "/etc/alternatives/" + name, mtime);
      tree.addGeneratedDirectory("var/lib/dpkg/alternatives", 0755, 0, 0, mtime);
      tree.addGeneratedFile("var/lib/dpkg/alternatives/" + name,
          stateFile(link, candidates).getBytes(StandardCharsets.UTF_8), 0644, 0, 0, mtime);
    }
  }

  /**
   * Formats an update-alternatives state file without follower links: the mode, the link, an
   * empty line ending the (empty) follower list, then per candidate its path and priority, and a
   * final empty line.
   */
  static String stateFile(String link, List<AlternativeRegistration> candidates) {
    StringBuilder text = new StringBuilder();
    text.append("auto\n").append(link).append("\n\n");
    for (AlternativeRegistration candidate : candidates) {
      text.append(candidate.path()).append('\n').append(candidate.priority()).append('\n');
    }
    text.append('\n');
    return text.toString();
  }
}
