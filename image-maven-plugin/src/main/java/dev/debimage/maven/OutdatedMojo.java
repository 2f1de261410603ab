package dev.debimage.maven;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.lock.Lockfile;
import dev.debimage.core.lock.PlatformLockfiles;
import dev.debimage.core.outdated.FailOnOutdated;
import dev.debimage.core.outdated.LastBuild;
import dev.debimage.core.outdated.OutdatedPackage;
import dev.debimage.core.outdated.OutdatedReport;
import dev.debimage.core.report.PackageReport;
import dev.debimage.core.spec.ImageSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Lists the image's packages for which the archive now offers a newer version: compares the
 * lockfile, or without one the last build's {@code packages.json}, with a fresh resolution from
 * the verified indexes, and marks security updates. Writes nothing.
 */
@Mojo(name = "outdated", threadSafe = true)
public class OutdatedMojo extends AbstractImageMojo {

  /**
   * When to fail the build: {@code true} when any package has a newer version, {@code security}
   * when a newer version comes from a security suite, {@code false} never.
   */
  @Parameter(property = "image.failOnOutdated", defaultValue = "false")
  private String failOnOutdated;

  /**
   * The output directory of {@code image:build}, whose {@code packages.json} is compared when the
   * project has no lockfile.
   */
  @Parameter(property = "image.outputDirectory", defaultValue = "${project.build.directory}/image")
  private File outputDirectory;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip()) {
      getLog().info("Skipping the check for newer packages (image.skip)");
      return;
    }
    try {
      FailOnOutdated failOn = FailOnOutdated.parse(failOnOutdated);
      Path output = outputDirectory.toPath();
      // The goal writes no image, but ImageSpec requires an output directory.
      ImageSpec spec = packageSpec().outputDirectory(output).build();
      OutdatedReport report = compare(spec, output.resolve(PackageReport.FILE_NAME));
      print(report);
      if (failOn.fails(report)) {
        throw new MojoFailureException(
            (failOn == FailOnOutdated.SECURITY
                    ? report.security().size() + (report.security().size() == 1
                        ? " package has a security update" : " packages have security updates")
                    : report.summary())
                + ": run mvn image:lock to take the newer versions (or mvn package without a lockfile)");
      }
    } catch (ImageBuildException e) {
      throw new MojoFailureException(ParameterHints.withParameter(e.getMessage()), e);
    }
  }

  private OutdatedReport compare(ImageSpec spec, Path packagesJson) {
    Path lockfile = lockfile().toPath();
    ImageBuilder builder = new ImageBuilder(listener());
    if (Files.isRegularFile(lockfile)) {
      getLog().info("Comparing " + lockfile + " with the archive");
      // NOTE: for a lock of several platforms only the first platform's packages are compared.
      PlatformLockfiles locks = PlatformLockfiles.read(lockfile);
      Lockfile lock = locks.locks().size() == 1
          ? locks.locks().get(0)
          : locks.require(spec.architecture(), lockfile.toString());
      OutdatedReport report = builder.outdated(spec, lock);
      if (report.inputsChanged()) {
        getLog().warn(
            "The packages, sources or architecture changed since " + lockfile + " was written;"
                + " run mvn image:lock to update it");
      }
      return report;
    }
    if (Files.isRegularFile(packagesJson)) {
      getLog().info("No lockfile at " + lockfile + "; comparing the last build's " + packagesJson + " with the archive");
      return builder.outdated(spec, LastBuild.read(packagesJson));
    }
    throw new ImageBuildException(
        "nothing to compare with the archive: there is no lockfile at " + lockfile + " and no " + packagesJson
            + " of a previous build. Run mvn image:lock or mvn package first");
  }

  private void print(OutdatedReport report) {
    getLog().info(report.summary());
    for (OutdatedPackage pkg : report.packages()) {
      if (pkg.security()) {
        getLog().warn("  " + pkg.line());
      } else {
        getLog().info("  " + pkg.line());
      }
    }
    if (!report.diff().added().isEmpty() || !report.diff().removed().isEmpty()) {
      getLog().info("A fresh resolution also adds " + report.diff().added().size() + " and removes "
          + report.diff().removed().size() + " packages:");
      report.diff().added().forEach(entry -> getLog().info("  added: " + entry));
      report.diff().removed().forEach(entry -> getLog().info("  removed: " + entry));
    }
  }
}
