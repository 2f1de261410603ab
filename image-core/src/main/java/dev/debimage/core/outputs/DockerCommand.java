package dev.debimage.core.outputs;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command of the Docker CLI and collects its exit code, standard output and standard
 * error. The CLI inherits the build's environment, so it honours {@code DOCKER_HOST}, {@code
 * DOCKER_CONTEXT} and {@code DOCKER_CONFIG}.
 */
final class DockerCommand {

  /**
   * The outcome of a finished command.
   *
   * @param command the command line, for messages
   * @param exitCode the process's exit code
   * @param stdout the standard output, decoded as UTF-8
   * @param stderr the standard error, decoded as UTF-8
   */
  record Result(String command, int exitCode, String stdout, String stderr) {

    boolean succeeded() {
      return exitCode == 0;
    }

    /** Returns the standard error without surrounding white space, or a note that it was empty. */
    String stderrText() {
      String text = stderr.strip();
      // Messages append ". Fix..." after this text, so its own closing punctuation goes.
      while (!text.isEmpty() && ".?!".indexOf(text.charAt(text.length() - 1)) >= 0) {
        text = text.substring(0, text.length() - 1);
      }
      return text.isEmpty() ? "(no output on standard error)" : text;
    }
  }

  /** A command that did not finish within its time limit, so a daemon that hangs is not asked again. */
  static final class TimedOut extends ImageBuildException {
    TimedOut(String message) {
      super(message);
    }
  }

  private final Path executable;
  private final Map<String, String> environment;

  /**
   * Creates a runner for {@code executable}.
   *
   * @param environment variables set for the command on top of the build's own environment
   */
  DockerCommand(Path executable, Map<String, String> environment) {
    this.executable = executable;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Runs {@code docker ARGUMENTS}, with {@code stdin} as standard input when present, and waits for
   * it to exit.
   *
   * @param timeout how long to wait, or empty to wait until the command exits
   * @throws ImageBuildException if the command cannot be started or does not exit within {@code timeout}
   */
  Result run(List<String> arguments, Optional<Path> stdin, Optional<Duration> timeout) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(arguments);
    String commandLine = String.join(" ", command);

    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    if (stdin.isPresent()) {
      builder.redirectInput(stdin.get().toFile());
    } else {
      builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to run '" + commandLine + "': " + e.getMessage() + ". Check that " + executable
              + " is the Docker CLI, or set <dockerExecutable> to it", e);
    }

    // Both streams are drained at once, because a command blocks when either pipe is full.
    FutureTask<String> stdout = drain(process.getInputStream(), "stdout");
    FutureTask<String> stderr = drain(process.getErrorStream(), "stderr");
    try {
      if (timeout.isPresent()) {
        if (!process.waitFor(timeout.get().toMillis(), TimeUnit.MILLISECONDS)) {
          stop(process);
          throw new TimedOut(
              "'" + commandLine + "' timed out after " + timeout.get().toSeconds() + " s: check that the"
                  + " Docker daemon that DOCKER_HOST or the current docker context names is responsive");
        }
      } else {
        process.waitFor();
      }
      return new Result(commandLine, process.exitValue(), stdout.get(), stderr.get());
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while running '" + commandLine + "'", e);
    } catch (ExecutionException e) {
      throw new ImageBuildException(
          "failed to read the output of '" + commandLine + "': " + e.getCause().getMessage(), e.getCause());
    }
  }

  private FutureTask<String> drain(InputStream in, String name) {
    FutureTask<String> task = new FutureTask<>(() -> readAll(in));
    Thread thread = new Thread(task, executable.getFileName() + "-" + name);
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the command and the processes it started, which would otherwise outlive the build. */
  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
