package dev.debimage.core.hooks;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.MergedUsr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the dpkg database of a written tree into the state {@code dpkg --unpack} leaves: every
 * package {@code install ok unpacked}, its maintainer scripts under {@code var/lib/dpkg/info},
 * and each configuration file waiting as {@code NAME.dpkg-new} with the hash {@code newconffile},
 * so that {@code dpkg --configure -a} configures the packages as on a fresh installation.
 */
final class UnpackedState {

  static final String STATUS = "var/lib/dpkg/status";
  static final String INFO = "var/lib/dpkg/info";

  private static final String INSTALLED = "Status: install ok installed";
  private static final String UNPACKED = "Status: install ok unpacked";

  /**
   * A preinst script to run.
   *
   * @param path the script's path inside the root
   * @param control the control stanza of its package
   */
  record Preinst(String path, dev.debimage.core.deb822.Stanza control) {}

  private UnpackedState() {}

  /**
   * Prepares the database below {@code root} for {@code packages} and returns their preinst
   * scripts in the order of {@code packages}.
   */
  static List<Preinst> prepare(Path root, List<ControlMembers> packages) {
    List<Preinst> preinsts = new ArrayList<>();
    try {
      for (ControlMembers members : packages) {
        for (Map.Entry<String, byte[]> file : members.files().entrySet()) {
          String path = INFO + "/" + members.infoName() + "." + file.getKey();
          Path target = DirectoryWriter.locate(root, path);
          Files.write(target, file.getValue(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
          int mode = ControlMembers.SCRIPTS.contains(file.getKey()) ? 0755 : 0644;
          Files.setAttribute(target, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
          if (file.getKey().equals("preinst")) {
            preinsts.add(new Preinst("/" + path, members.control()));
          }
        }
      }
      rewriteStatus(root);
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to prepare the dpkg database in " + root + " for dpkg --configure: " + e, e);
    }
    return preinsts;
  }

  /** Marks every package unpacked and moves its configuration files aside as dpkg's unpack does. */
  private static void rewriteStatus(Path root) throws IOException {
    Path status = DirectoryWriter.locate(root, STATUS);
    if (!Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)) {
      throw new ImageBuildException("the tree has no /" + STATUS + ", so dpkg cannot configure it");
    }
    List<String> lines = Files.readAllLines(status, StandardCharsets.UTF_8);
    List<String> rewritten = new ArrayList<>();
    boolean inConffiles = false;
    for (String line : lines) {
      if (line.equals(INSTALLED)) {
        rewritten.add(UNPACKED);
        inConffiles = false;
        continue;
      }
      if (line.startsWith("Conffiles:")) {
        inConffiles = true;
        rewritten.add(line);
        continue;
      }
      if (inConffiles && line.startsWith(" /")) {
        String[] words = line.strip().split(" ");
        moveAside(root, words[0]);
        // dpkg keeps further words, such as "obsolete", after the hash.
        words[1] = "newconffile";
        rewritten.add(" " + String.join(" ", words));
        continue;
      }
      inConffiles = false;
      rewritten.add(line);
    }
    Files.write(status, (String.join("\n", rewritten) + "\n").getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  private static void moveAside(Path root, String conffile) throws IOException {
    String path = conffile.substring(1);
    String top = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
    if (Files.isSymbolicLink(root.resolve(top)) && MergedUsr.FOLDED_DIRECTORIES.contains(top)) {
      // With merged /usr the tree keeps /lib/x as /usr/lib/x, and the writer follows no link.
      path = "usr/" + path;
    }
    Path file = DirectoryWriter.locate(root, path);
    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(file, file.resolveSibling(file.getFileName() + ".dpkg-new"),
          StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
