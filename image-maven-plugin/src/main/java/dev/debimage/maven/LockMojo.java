package dev.debimage.maven;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.lock.LockDiff;
import dev.debimage.core.lock.Lockfile;
import dev.debimage.core.lock.PlatformLockfiles;
import dev.debimage.core.spec.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Resolves the image's packages from the verified indexes and writes them to the lockfile
 * ({@code image.lock.json} next to the pom), printing what changed since the previous lockfile.
 * {@code image:build} then installs exactly those packages until this goal runs again.
 */
@Mojo(name = "lock", threadSafe = true)
public class LockMojo extends AbstractImageMojo {

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip()) {
      getLog().info("Skipping the lock (image.skip)");
      return;
    }
    Path file = lockfile().toPath();
    try {
      // The lock goal writes no image, but ImageSpec requires an output directory.
      ImageSpec spec =
          packageSpec().outputDirectory(Path.of(project().getBuild().getDirectory(), "image")).build();
      Optional<PlatformLockfiles> previous = readPrevious(file);
      if (spec.platforms().size() > 1) {
        PlatformLockfiles locks = new ImageBuilder(listener()).lockPlatforms(spec);
        locks.write(file);
        for (Lockfile lock : locks.locks()) {
          getLog().info("Platform " + lock.architecture() + ":");
          report(file, previous.flatMap(earlier -> earlier.forArchitecture(lock.architecture())), lock);
        }
        return;
      }
      Lockfile lock = new ImageBuilder(listener()).lock(spec);
      lock.write(file);
      // A previous lock for several platforms is compared by the architecture of the new one.
      report(file, previous.flatMap(earlier -> earlier.locks().size() == 1
          ? Optional.of(earlier.locks().get(0))
          : earlier.forArchitecture(lock.architecture())), lock);
    } catch (ImageBuildException e) {
      throw new MojoFailureException(ParameterHints.withParameter(e.getMessage()), e);
    }
  }

  private Optional<PlatformLockfiles> readPrevious(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(PlatformLockfiles.read(file));
    } catch (ImageBuildException e) {
      getLog().warn("Replacing the unreadable lockfile: " + e.getMessage());
      return Optional.empty();
    }
  }

  private void report(Path file, Optional<Lockfile> previous, Lockfile lock) {
    getLog().info(
        "Wrote " + file + ": " + lock.packages().size() + " packages from " + lock.suites().size()
            + " suites");
    if (previous.isEmpty()) {
      return;
    }
    if (!previous.get().inputsDigest().equals(lock.inputsDigest())) {
      getLog().info("The packages, sources or architecture changed since the previous lock");
    }
    LockDiff diff = LockDiff.between(previous.get(), lock);
    if (diff.isEmpty()) {
      getLog().info("No package changed since the previous lock");
      return;
    }
    getLog().info(
        String.format(
            "Changes since the previous lock: %d added, %d removed, %d upgraded, %d downgraded, %d changed",
            diff.added().size(),
            diff.removed().size(),
            diff.upgraded().size(),
            diff.downgraded().size(),
            diff.changed().size()));
    diff.lines().forEach(line -> getLog().info("  " + line));
  }
}
