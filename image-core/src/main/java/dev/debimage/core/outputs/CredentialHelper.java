package dev.debimage.core.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Docker credential helper, {@code docker-credential-NAME}, by the protocol of the
 * docker/docker-credential-helpers project (its README and {@code credentials} Go package). The
 * {@code get} command reads the server address from its standard input and writes {@code
 * {"ServerURL":…,"Username":…,"Secret":…}} to its standard output. A helper that has no
 * credentials exits with a non-zero status and writes {@code credentials not found in native
 * keychain}.
 */
final class CredentialHelper {

  /** How long a helper may run. A helper that shows a desktop unlock prompt waits for the user. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final String NOT_FOUND = "credentials not found";

  /** The user name that marks the secret as an identity token rather than a password. */
  private static final String IDENTITY_TOKEN_USER = "<token>";

  private final String name;
  private final List<Path> searchPath;

  /**
   * Creates a runner for the helper {@code docker-credential-NAME}, looked up in {@code searchPath}
   * in order, as a shell looks up a command in {@code PATH}.
   */
  CredentialHelper(String name, List<Path> searchPath) {
    if (name.isBlank() || name.contains("/")) {
      throw new ImageBuildException(
          "invalid credential helper name '" + name + "' in the Docker config file: name the part"
              + " after docker-credential-, such as pass or secretservice");
    }
    this.name = name;
    this.searchPath = List.copyOf(searchPath);
  }

  /** Returns the directories of the {@code PATH} environment variable. */
  static List<Path> pathDirectories() {
    String path = System.getenv("PATH");
    List<Path> directories = new ArrayList<>();
    if (path != null) {
      for (String directory : path.split(":")) {
        if (!directory.isEmpty()) {
          directories.add(Path.of(directory));
        }
      }
    }
    return directories;
  }

  /** Returns the program name, {@code docker-credential-NAME}. */
  String program() {
    return "docker-credential-" + name;
  }

  /**
   * Runs {@code get} for {@code serverAddress} and returns the credentials, or empty when the
   * helper has none for it.
   *
   * @throws ImageBuildException if the helper is not found, fails, times out, returns invalid JSON
   *     or an identity token
   */
  Optional<RegistryCredentials> get(String serverAddress) {
    Path executable = find();

    Process process;
    try {
      process = new ProcessBuilder(executable.toString(), "get").start();
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to start the credential helper " + executable + ": " + e.getMessage()
              + ". Check that it is executable", e);
    }
    // Read both streams while the helper runs, so that a full pipe cannot block it.
    CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
    CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write((serverAddress + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // A helper may exit before reading its input; its status and output tell why.
    }

    int status;
    String output;
    String errors;
    try {
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new ImageBuildException(
            "credential helper " + program() + " timed out after " + TIMEOUT.toSeconds()
                + " s for " + serverAddress + ": check that it does not wait for a prompt");
      }
      status = process.exitValue();
      output = new String(stdout.get(), StandardCharsets.UTF_8).strip();
      errors = new String(stderr.get(), StandardCharsets.UTF_8).strip();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while running the credential helper " + program(), e);
    } catch (ExecutionException e) {
      throw new ImageBuildException(
          "failed to read the output of the credential helper " + program() + ": " + e.getCause(), e);
    }

    if (status != 0) {
      if (output.contains(NOT_FOUND) || errors.contains(NOT_FOUND)) {
        return Optional.empty();
      }
      // A helper that fails prints an error message rather than credentials, so its output is shown.
      String detail = (output + " " + errors).strip();
      throw new ImageBuildException(
          "credential helper " + program() + " failed with exit status " + status + " for "
              + serverAddress + (detail.isEmpty() ? "" : ": " + abbreviate(detail))
              + ". Run 'echo " + serverAddress + " | " + program() + " get' to see why, or log in again");
    }
    return Optional.of(parse(output, serverAddress));
  }

  private RegistryCredentials parse(String output, String serverAddress) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(output);
    } catch (IOException e) {
      throw invalidOutput(serverAddress, "it is not JSON");
    }
    if (json == null || !json.isObject()) {
      throw invalidOutput(serverAddress, "it is not a JSON object");
    }
    String username = json.path("Username").asText("");
    String secret = json.path("Secret").asText("");
    if (username.equals(IDENTITY_TOKEN_USER)) {
      throw new ImageBuildException(
          "credential helper " + program() + " returned an identity token for " + serverAddress
              + ", which debimage cannot exchange for an access token: store a user name and"
              + " password or access token for the registry instead");
    }
    if (username.isEmpty() || secret.isEmpty()) {
      throw invalidOutput(serverAddress, "it lacks Username or Secret");
    }
    return new RegistryCredentials(username, secret);
  }

  private ImageBuildException invalidOutput(String serverAddress, String problem) {
    return new ImageBuildException(
        "invalid output of credential helper " + program() + " for " + serverAddress + ": " + problem
            + ". Expected {\"ServerURL\":…,\"Username\":…,\"Secret\":…}; check the helper's version");
  }

  private Path find() {
    for (Path directory : searchPath) {
      Path candidate = directory.resolve(program());
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new ImageBuildException(
        "credential helper " + program() + " not found in PATH, but the Docker config file names"
            + " it: install it, or remove it from credsStore or credHelpers");
  }

  private static CompletableFuture<byte[]> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (InputStream in = stream) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
