package dev.debimage.core.multistrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.hooks.MultistrapScripts;
import dev.debimage.core.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads setupscript, configscript, hookdir and omitpreinst from multistrap configurations. */
class MultistrapScriptKeysTest {

  @TempDir Path dir;

  private Path executable(String name) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file.toRealPath();
  }

  private MultistrapImport.Result read(String general) throws IOException {
    Path conf = dir.resolve("multistrap.conf");
    Files.writeString(conf, "[General]\nbootstrap=Debian\n" + general
        + "\n[Debian]\npackages=tzdata\nsource=http://127.0.0.1/debian\nsuite=bookworm\n");
    return MultistrapImport.read(MultistrapConfig.parse(conf), "amd64", dir.resolve("generated"),
        BuildListener.NONE);
  }

  @Test
  void scriptsAndHooksRead() throws IOException {
    Path setup = executable("scripts/setup.sh");
    Path config = executable("config.sh");
    Path second = executable("hooks/download20");
    Path first = executable("hooks/download10");
    Path nativeHook = executable("hooks/native-proc");
    Path completion = executable("hooks/completion.sh");
    executable("hooks/README");
    Files.writeString(dir.resolve("hooks/download-disabled"), "#!/bin/sh\n");

    MultistrapImport.Result result = read(
        "setupscript=scripts/setup.sh\nconfigscript=" + config + "\nhookdir=hooks\nomitpreinst=true");

    MultistrapScripts scripts = result.scripts();
    assertEquals(Optional.of(setup), scripts.setupScript());
    assertEquals(Optional.of(config), scripts.configScript());
    assertEquals(List.of(first, second), scripts.downloadHooks());
    assertEquals(List.of(nativeHook), scripts.nativeHooks());
    assertEquals(List.of(completion), scripts.completionHooks());
    assertTrue(scripts.omitPreinst());
    assertTrue(result.notes().stream().anyMatch(note -> note.contains("download-disabled")),
        result.notes().toString());

    ImageSpec spec = result.applyTo(ImageSpec.builder()).outputDirectory(dir).build();
    assertEquals(scripts, spec.multistrapScripts());
  }

  @Test
  void noScriptKeysNoScripts() throws IOException {
    MultistrapImport.Result result = read("setupscript=\nomitpreinst=false");

    assertTrue(result.scripts().isEmpty());
    assertFalse(result.scripts().omitPreinst());
  }

  @Test
  void missingScriptRejectedWithLine() {
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> read("setupscript=missing.sh"));

    assertTrue(e.getMessage().contains("setupscript=missing.sh"), e.getMessage());
    assertTrue(e.getMessage().contains("multistrap.conf line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("chmod +x"), e.getMessage());
  }

  @Test
  void notExecutableConfigScriptRejected() throws IOException {
    Files.writeString(dir.resolve("config.sh"), "#!/bin/sh\n");

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> read("configscript=config.sh"));

    assertTrue(e.getMessage().contains("configscript=config.sh"), e.getMessage());
  }

  @Test
  void missingHookDirectoryRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> read("hookdir=nohooks"));

    assertTrue(e.getMessage().contains("hookdir=nohooks"), e.getMessage());
  }

  @Test
  void shippedChrootExampleRunsSetupScript() {
    Path example = Path.of("/usr/share/multistrap/chroot.conf");
    Assumptions.assumeTrue(Files.isRegularFile(example), "multistrap is not installed");

    MultistrapImport.Result result = MultistrapImport.read(
        MultistrapConfig.parse(example), "amd64", dir.resolve("generated"), BuildListener.NONE);

    assertEquals(Optional.of(Path.of("/usr/share/multistrap/chroot.sh")), result.scripts().setupScript());
  }
}
