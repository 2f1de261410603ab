package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssemblerTest {

  static final Instant BUILD_TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;
  @TempDir Path cache;

  private static String text(FileTree tree, String path) throws IOException {
    return new String(tree.resolve(path).orElseThrow().content().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  @Test
  void assemblesRootFilesystem() throws IOException {
    FileTree tree = Assembler.assemble(SamplePackages.write(work),
        new AssemblyOptions("amd64", BUILD_TIME, cache));

    assertEquals("loader", text(tree, "lib64/ld-linux-x86-64.so.2"));
    assertEquals("dash", text(tree, "bin/sh"));
    assertEquals("java", text(tree, "usr/bin/java"));
    assertTrue(text(tree, "etc/passwd").startsWith("root:x:0:0:root:/root:/bin/sh\n"));
    assertTrue(text(tree, "etc/passwd").contains("nonroot:x:65532:65532:"));
    assertTrue(text(tree, "var/lib/dpkg/status").contains("Package: openjdk-17-jre-headless\n"));
    assertTrue(tree.get("var/lib/dpkg/info/libc6:amd64.list").isPresent());
    assertEquals("usr/lib64", tree.get("lib64").orElseThrow().linkTarget());
    assertEquals(01777, tree.get("tmp").orElseThrow().mode());
    assertEquals("base-files", tree.get("tmp").orElseThrow().owner());
  }

  @Test
  void generatedPathsGetBuildTimestampAndRoot() throws IOException {
    FileTree tree = Assembler.assemble(SamplePackages.write(work),
        new AssemblyOptions("amd64", BUILD_TIME.plusMillis(999), cache));

    for (FileEntry entry : tree.entries()) {
      assertTrue(!entry.mtime().isAfter(BUILD_TIME), entry.path() + " " + entry.mtime());
      // The shadow files belong to group shadow and /var/mail to group mail, as in Debian.
      if (entry.owner() == null && !entry.path().startsWith("home/nonroot")
          && !entry.path().startsWith("etc/shadow") && !entry.path().startsWith("etc/gshadow")
          && !entry.path().equals("var/mail")) {
        assertEquals(BUILD_TIME, entry.mtime(), entry.path());
        assertEquals(0, entry.uid(), entry.path());
        assertEquals(0, entry.gid(), entry.path());
      }
    }
  }

  @Test
  void invalidArchitectureRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> new AssemblyOptions("../amd64", BUILD_TIME, cache));

    assertTrue(e.getMessage().contains("'../amd64'"), e.getMessage());
  }

  @Test
  void samePackageTwiceRejected() throws IOException {
    List<AssemblyInput> inputs = List.of(
        new DebBuilder("dash", "1", "amd64").writeInput(work),
        new DebBuilder("dash", "2", "amd64").writeInput(work));

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> Assembler.assemble(inputs, new AssemblyOptions("amd64", BUILD_TIME, cache)));

    assertTrue(e.getMessage().contains("dash"), e.getMessage());
  }

  @Test
  void packageNameMismatchRejected() throws IOException {
    AssemblyInput real = new DebBuilder("dash", "1", "amd64").writeInput(work);
    AssemblyInput lying = new AssemblyInput(
        new DebBuilder("bash", "1", "amd64").binaryPackage(real.debFile()), real.debFile());

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> Assembler.assemble(List.of(lying), new AssemblyOptions("amd64", BUILD_TIME, cache)));

    assertTrue(e.getMessage().contains("'dash'"), e.getMessage());
  }

  @Test
  void expectedDirectoriesHaveModes() throws IOException {
    FileTree tree = Assembler.assemble(SamplePackages.write(work),
        new AssemblyOptions("amd64", BUILD_TIME, cache));

    assertEquals(01777, tree.get("tmp").orElseThrow().mode());
    assertEquals(01777, tree.get("var/tmp").orElseThrow().mode());
    assertEquals(0700, tree.get("root").orElseThrow().mode());
    assertTrue(tree.get("home").orElseThrow().isDirectory());
    assertTrue(tree.get("run").orElseThrow().isDirectory());
  }

  @Test
  void caCertificatesOnlyWhenInstalled() throws Exception {
    AssemblyInput caCertificates = new DebBuilder("ca-certificates", "20230311", "all")
        .dir("./usr/share/ca-certificates/mozilla/", 0755)
        .file("./usr/share/ca-certificates/mozilla/Test_Root.crt",
            CaCertificatesTest.selfSigned(work, "/CN=Test Root"), 0644)
        .writeInput(work);
    AssemblyInput javaCertificates = new DebBuilder("ca-certificates-java", "20230710", "all")
        .dir("./etc/ssl/certs/java/", 0755).writeInput(work);

    FileTree without = Assembler.assemble(SamplePackages.write(work),
        new AssemblyOptions("amd64", BUILD_TIME, cache));
    List<AssemblyInput> inputs = new java.util.ArrayList<>(SamplePackages.write(work));
    inputs.add(caCertificates);
    inputs.add(javaCertificates);
    FileTree with = Assembler.assemble(inputs, new AssemblyOptions("amd64", BUILD_TIME, cache));

    assertTrue(without.get("etc/ssl/certs/ca-certificates.crt").isEmpty());
    assertTrue(without.get("etc/ssl/certs/java/cacerts").isEmpty());
    assertTrue(text(with, "etc/ssl/certs/ca-certificates.crt").contains("BEGIN CERTIFICATE"));
    assertEquals("/usr/share/ca-certificates/mozilla/Test_Root.crt",
        with.get("etc/ssl/certs/Test_Root.pem").orElseThrow().linkTarget());
    assertTrue(with.get("etc/ssl/certs/java/cacerts").isPresent());
  }
}
