package dev.debimage.core.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.deb822.Stanza;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the dpkg database state that {@code dpkg --configure -a} starts from. */
class UnpackedStateTest {

  @TempDir Path root;

  private static ControlMembers members(String name, String multiArch, Map<String, String> files) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Package", name);
    fields.put("Architecture", "amd64");
    if (!multiArch.isEmpty()) {
      fields.put("Multi-Arch", multiArch);
    }
    Map<String, byte[]> contents = new LinkedHashMap<>();
    files.forEach((member, text) -> contents.put(member, text.getBytes(StandardCharsets.UTF_8)));
    return new ControlMembers(new Stanza(fields), contents);
  }

  @Test
  void statusUnpackedAndConffilesAside() throws Exception {
    Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/tool.conf"), "x=1\n");
    Files.writeString(root.resolve("var/lib/dpkg/status"), String.join("\n",
        "Package: tool",
        "Status: install ok installed",
        "Conffiles:",
        " /etc/tool.conf 0123456789abcdef0123456789abcdef",
        " /etc/old.conf fedcba9876543210fedcba9876543210 obsolete",
        "Version: 1.0",
        "",
        "Package: libtool1",
        "Status: install ok installed",
        "Version: 2.0",
        ""));

    List<UnpackedState.Preinst> preinsts = UnpackedState.prepare(root, List.of(
        members("libtool1", "same", Map.of("postinst", "#!/bin/sh\n", "triggers", "activate-noawait ldconfig\n")),
        members("tool", "", Map.of("preinst", "#!/bin/sh\n"))));

    List<String> status = Files.readAllLines(root.resolve("var/lib/dpkg/status"));
    assertEquals(2, status.stream().filter(line -> line.equals("Status: install ok unpacked")).count());
    assertFalse(status.contains("Status: install ok installed"));
    assertTrue(status.contains(" /etc/tool.conf newconffile"), status.toString());
    assertTrue(status.contains(" /etc/old.conf newconffile obsolete"), status.toString());
    assertTrue(status.contains("Version: 1.0"), status.toString());
    assertFalse(Files.exists(root.resolve("etc/tool.conf")));
    assertEquals("x=1\n", Files.readString(root.resolve("etc/tool.conf.dpkg-new")));

    Path postinst = root.resolve("var/lib/dpkg/info/libtool1:amd64.postinst");
    assertEquals(0755, (Integer) Files.getAttribute(postinst, "unix:mode") & 07777);
    Path triggers = root.resolve("var/lib/dpkg/info/libtool1:amd64.triggers");
    assertEquals(0644, (Integer) Files.getAttribute(triggers, "unix:mode") & 07777);
    assertEquals(1, preinsts.size());
    assertEquals("/var/lib/dpkg/info/tool.preinst", preinsts.get(0).path());
    assertEquals("tool", preinsts.get(0).control().require("Package", "test"));
  }
}
