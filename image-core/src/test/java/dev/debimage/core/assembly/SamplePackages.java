package dev.debimage.core.assembly;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Package files for tests of whole builds. */
public final class SamplePackages {

  private SamplePackages() {}

  /** Writes four packages shaped like the real libc6, base-files, dash and OpenJDK packages. */
  public static List<AssemblyInput> write(Path dir) throws IOException {
    return List.of(
        new DebBuilder("libc6", "2.36-9", "amd64").field("Multi-Arch", "same")
            .dir("./lib/", 0755).dir("./lib/x86_64-linux-gnu/", 0755)
            .file("./lib/x86_64-linux-gnu/libc.so.6", "libc", 0755)
            .file("./lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "loader", 0755)
            .dir("./lib64/", 0755)
            .symlink("./lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
            .writeInput(dir),
        new DebBuilder("dash", "0.5.12-2", "amd64")
            .dir("./bin/", 0755).file("./bin/dash", "dash", 0755).symlink("./bin/sh", "dash")
            .writeInput(dir),
        new DebBuilder("base-files", "12.4", "amd64").controlFile("conffiles", "/etc/issue\n")
            .dir("./etc/", 0755).file("./etc/issue", "Debian\n", 0644)
            .dir("./tmp/", 01777)
            .writeInput(dir),
        new DebBuilder("openjdk-17-jre-headless", "17.0.15+6-1", "amd64")
            .controlFile("postinst", "#!/bin/sh\nset -e\nupdate-alternatives --install"
                + " /usr/bin/java java /usr/lib/jvm/java-17-openjdk-amd64/bin/java 1711\n")
            .dir("./usr/lib/jvm/java-17-openjdk-amd64/bin/", 0755)
            .file("./usr/lib/jvm/java-17-openjdk-amd64/bin/java", "java", 0755)
            .writeInput(dir));
  }
}
