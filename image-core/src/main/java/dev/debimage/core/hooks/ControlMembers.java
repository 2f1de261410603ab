package dev.debimage.core.hooks;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * The control members of a package file that dpkg keeps under {@code var/lib/dpkg/info}: the
 * maintainer scripts and the debconf, trigger and library files.
 *
 * @param control the package's control stanza
 * @param files each kept member's name, such as {@code postinst}, mapped to its content
 */
record ControlMembers(Stanza control, Map<String, byte[]> files) {

  /** The control members that dpkg copies into its info directory besides the ones the tree has. */
  static final Set<String> KEPT = Set.of(
      "preinst", "postinst", "prerm", "postrm", "config", "templates", "triggers", "shlibs", "symbols");

  /** The members among {@link #KEPT} that dpkg runs, and that therefore need the executable bit. */
  static final Set<String> SCRIPTS = Set.of("preinst", "postinst", "prerm", "postrm", "config");

  /** The maximum size of a kept member in bytes. Maintainer scripts have a few kilobytes. */
  private static final int MAX_MEMBER_BYTES = 16 << 20;

  /** Reads the control tar of {@code deb}. */
  static ControlMembers read(Path deb) {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(deb), 1 << 16);
        ArArchiveInputStream ar = new ArArchiveInputStream(file)) {
      ArArchiveEntry member;
      while ((member = ar.getNextEntry()) != null) {
        if (member.getName().startsWith("control.tar")) {
          return readControlTar(deb, member.getName(), ar);
        }
      }
    } catch (IOException e) {
      throw new ImageBuildException("failed to read the control member of " + deb + ": " + e, e);
    }
    throw new ImageBuildException("package file " + deb + " has no control.tar member");
  }

  /** Returns the name dpkg gives the package's info files: {@code name}, or {@code name:arch} for {@code Multi-Arch: same}. */
  String infoName() {
    String name = control.require("Package", "control file");
    if (control.get("Multi-Arch", "").equals("same")) {
      return name + ":" + control.require("Architecture", "control file of " + name);
    }
    return name;
  }

  private static ControlMembers readControlTar(Path deb, String name, InputStream member)
      throws IOException {
    InputStream shielded = new FilterInputStream(member) {
      @Override
      public void close() {}
    };
    InputStream decompressed = switch (name) {
      case "control.tar" -> shielded;
      case "control.tar.gz" -> new GzipCompressorInputStream(shielded, true);
      case "control.tar.xz" -> new XZCompressorInputStream(shielded, true);
      case "control.tar.zst" -> new ZstdCompressorInputStream(shielded);
      default -> throw new ImageBuildException(
          "package file " + deb + " has a control member '" + name + "' in an unsupported"
              + " compression; supported are none, .gz, .xz and .zst");
    };
    Stanza control = null;
    Map<String, byte[]> files = new TreeMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        String fileName = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        if (!fileName.equals("control") && !KEPT.contains(fileName)) {
          continue;
        }
        if (entry.getSize() > MAX_MEMBER_BYTES) {
          throw new ImageBuildException(
              "control member " + fileName + " of " + deb + " has " + entry.getSize() + " bytes, more"
                  + " than the " + MAX_MEMBER_BYTES + " allowed; remove the package");
        }
        byte[] data = tar.readAllBytes();
        if (fileName.equals("control")) {
          List<Stanza> stanzas = Deb822.parse(new String(data, StandardCharsets.UTF_8), deb + " (control)");
          if (stanzas.size() != 1) {
            throw new ImageBuildException(
                "control file of " + deb + " has " + stanzas.size() + " stanzas, expected 1");
          }
          control = stanzas.get(0);
        } else {
          files.put(fileName, data);
        }
      }
    }
    if (control == null) {
      throw new ImageBuildException("package file " + deb + " has no control file");
    }
    return new ControlMembers(control, files);
  }
}
