package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Stanza;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the dpkg database under {@code var/lib/dpkg} as dpkg leaves it after installing the
 * packages, so that {@code dpkg-query} and image scanners see what the image contains.
 */
public final class DpkgDatabase {

  private static final String ADMIN_DIR = "var/lib/dpkg";

  private DpkgDatabase() {}

  /**
   * Writes {@code status}, {@code arch}, an empty {@code available}, the {@code updates} and
   * {@code triggers} directories, {@code info/format}, and per package the {@code .list},
   * {@code .md5sums} and {@code .conffiles} files under {@code info}.
   */
  public static void write(
      FileTree tree, List<UnpackedPackage> packages, String architecture, Instant mtime) {
    List<UnpackedPackage> sorted = new ArrayList<>(packages);
    sorted.sort(Comparator.comparing(UnpackedPackage::name));

    tree.addGeneratedDirectory(ADMIN_DIR, 0755, 0, 0, mtime);
    tree.addGeneratedDirectory(ADMIN_DIR + "/info", 0755, 0, 0, mtime);
    tree.addGeneratedDirectory(ADMIN_DIR + "/updates", 0755, 0, 0, mtime);
    tree.addGeneratedDirectory(ADMIN_DIR + "/triggers", 0755, 0, 0, mtime);
    writeText(tree, ADMIN_DIR + "/arch", architecture + "\n", mtime);
    writeText(tree, ADMIN_DIR + "/available", "", mtime);
    // Format 1 means that Multi-Arch: same packages have arch-qualified info file names. Without
    // this file dpkg assumes format 0 and looks for unqualified names.
    writeText(tree, ADMIN_DIR + "/info/format", "1\n", mtime);

    StringBuilder status = new StringBuilder();
    for (UnpackedPackage unpacked : sorted) {
      // dpkg ends every stanza, the last one too, with an empty line.
      status.append(statusStanza(tree, unpacked).format()).append('\n');
      writeInfoFiles(tree, unpacked, mtime);
    }
    writeText(tree, ADMIN_DIR + "/status", status.toString(), mtime);
  }

  /**
   * The fields that dpkg (1.21) defines, in the order it writes them to the status file. Other fields
   * follow in the order of the package's control file.
   */
  private static final List<String> STATUS_FIELD_ORDER = List.of(
      "Package", "Essential", "Protected", "Status", "Priority", "Section", "Installed-Size",
      "Origin", "Maintainer", "Bugs", "Architecture", "Multi-Arch", "Source", "Version",
      "Config-Version", "Replaces", "Provides", "Depends", "Pre-Depends", "Recommends",
      "Suggests", "Breaks", "Conflicts", "Enhances", "Conffiles", "Description",
      "Triggers-Pending", "Triggers-Awaited");

  /**
   * Returns the package's control stanza with {@code Status: install ok installed} and a
   * {@code Conffiles} field with each configuration file's MD5 sum, in dpkg's field order.
   */
  static Stanza statusStanza(FileTree tree, UnpackedPackage unpacked) {
    Stanza control = unpacked.archive().control();
    Map<String, String> known = new HashMap<>();
    Map<String, String> others = new LinkedHashMap<>();
    for (Map.Entry<String, String> field : control.fields().entrySet()) {
      String canonical = STATUS_FIELD_ORDER.stream()
          .filter(name -> name.equalsIgnoreCase(field.getKey())).findFirst().orElse(null);
      if (canonical == null) {
        others.put(field.getKey(), field.getValue());
      } else {
        known.put(canonical, field.getValue());
      }
    }
    known.put("Status", "install ok installed");
    List<String> conffiles = unpacked.archive().conffiles();
    if (!conffiles.isEmpty()) {
      StringBuilder value = new StringBuilder();
      for (String conffile : conffiles) {
        Optional<String> md5 = md5Of(tree, conffile);
        // dpkg writes "newconffile" for a conffile it has not configured; here every file exists
        // unless the package lists a path it does not ship.
        value.append('\n').append(conffile).append(' ').append(md5.orElse("newconffile"));
      }
      known.put("Conffiles", value.toString());
    }

    Map<String, String> fields = new LinkedHashMap<>();
    for (String name : STATUS_FIELD_ORDER) {
      if (known.containsKey(name)) {
        fields.put(name, known.get(name));
      }
    }
    fields.putAll(others);
    return new Stanza(fields);
  }

  private static void writeInfoFiles(FileTree tree, UnpackedPackage unpacked, Instant mtime) {
    DebArchive archive = unpacked.archive();
    String base = ADMIN_DIR + "/info/" + infoName(archive.control());
    StringBuilder list = new StringBuilder("/.\n");
    for (String path : unpacked.shippedPaths()) {
      list.append(path).append('\n');
    }
    writeText(tree, base + ".list", list.toString(), mtime);
    if (!archive.md5sums().isEmpty()) {
      writeText(tree, base + ".md5sums", archive.md5sums(), mtime);
    }
    if (!archive.conffiles().isEmpty()) {
      writeText(tree, base + ".conffiles", String.join("\n", archive.conffiles()) + "\n", mtime);
    }
    // dpkg keeps the scripts so that removing the package in a derived image runs them.
    for (Map.Entry<String, String> member : archive.keptControlMembers().entrySet()) {
      int mode = archive.maintainerScripts().contains(member.getKey()) ? 0755 : 0644;
      tree.addGeneratedFile(base + "." + member.getKey(),
          member.getValue().getBytes(StandardCharsets.UTF_8), mode, 0, 0, mtime);
    }
  }

  /** Returns {@code name}, or {@code name:arch} for a {@code Multi-Arch: same} package, as dpkg names info files. */
  static String infoName(Stanza control) {
    String name = control.require("Package", "control file");
    if (control.get("Multi-Arch", "").equals("same")) {
      return name + ":" + control.require("Architecture", "control file of " + name);
    }
    return name;
  }

  private static Optional<String> md5Of(FileTree tree, String absolutePath) {
    Optional<FileEntry> entry = tree.resolve(absolutePath.substring(1));
    if (entry.isEmpty() || entry.get().content() == null) {
      return Optional.empty();
    }
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(entry.get().content().readAllBytes());
      return Optional.of(HexFormat.of().formatHex(md5.digest()));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read configuration file " + absolutePath + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks MD5", e);
    }
  }

  private static void writeText(FileTree tree, String path, String text, Instant mtime) {
    tree.addGeneratedFile(path, text.getBytes(StandardCharsets.UTF_8), 0644, 0, 0, mtime);
  }
}
