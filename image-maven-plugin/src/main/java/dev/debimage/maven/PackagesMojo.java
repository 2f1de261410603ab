package dev.debimage.maven;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.lock.LockedPackage;
import dev.debimage.core.lock.Lockfile;
import dev.debimage.core.spec.ImageSpec;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the packages that {@code image:build} would install, one line each with the name,
 * version, architecture and the reason it is in the image, without fetching a package or writing
 * an image. Reads the lockfile when it exists, as the build does, and otherwise resolves the
 * packages from the verified indexes.
 */
@Mojo(name = "packages", threadSafe = true)
public class PackagesMojo extends AbstractImageMojo {

  /**
   * Whether to list the packages of the lockfile ({@code image.lockfile}) when it exists instead of
   * resolving them again. The goal fails when the packages, sources or architecture changed since
   * the lock was written, as {@code image:build} does.
   */
  @Parameter(property = "image.useLockfile", defaultValue = "true")
  private boolean useLockfile;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip()) {
      getLog().info("Skipping the package list (image.skip)");
      return;
    }
    try {
      // This goal writes no image, but ImageSpec requires an output directory.
      ImageSpec.Builder builder =
          packageSpec().outputDirectory(Path.of(project().getBuild().getDirectory(), "image"));
      if (useLockfile) {
        builder.lockfile(lockfile().toPath());
      }
      Lockfile packageSet = new ImageBuilder(listener()).packageSet(builder.build());
      print(packageSet.packages());
    } catch (ImageBuildException e) {
      throw new MojoFailureException(ParameterHints.withParameter(e.getMessage()), e);
    }
  }

  private void print(List<LockedPackage> packages) {
    int nameWidth = 1;
    int versionWidth = 1;
    for (LockedPackage locked : packages) {
      nameWidth = Math.max(nameWidth, locked.name().length());
      versionWidth = Math.max(versionWidth, locked.version().length());
    }
    getLog().info(packages.size() + " packages:");
    String format = "  %-" + nameWidth + "s  %-" + versionWidth + "s  %-8s  %s";
    for (LockedPackage locked : packages) {
      getLog().info(String.format(
          format, locked.name(), locked.version(), locked.architecture(), locked.reason()));
    }
  }
}
