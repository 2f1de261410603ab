package dev.debimage.core.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Reads registry credentials from a Docker client config file ({@code config.json}), as written by
 * {@code docker login}: the {@code auths} object maps a registry to base64 {@code user:password}.
 */
public final class DockerConfigCredentials {

  private DockerConfigCredentials() {}

  /** Returns {@code $DOCKER_CONFIG/config.json}, or {@code ~/.docker/config.json} when the variable is unset. */
  public static Path defaultConfigFile() {
    String directory = System.getenv("DOCKER_CONFIG");
    if (directory != null && !directory.isBlank()) {
      return Path.of(directory, "config.json");
    }
    return Path.of(System.getProperty("user.home"), ".docker", "config.json");
  }

  /**
   * Finds the credentials for {@code registry} (a host with an optional port) in {@code configFile}.
   * An {@code auths} key matches when its host and port equal the registry's, with or without a
   * URL scheme and path. Returns empty when the file does not exist or has no entry.
   *
   * <p>Credential helpers ({@code credsStore}, {@code credHelpers}) are not run.
   *
   * @throws ImageBuildException if the file cannot be read or its entry for the registry is invalid
   */
  public static Optional<RegistryCredentials> find(Path configFile, String registry) {
    if (!Files.isRegularFile(configFile)) {
      return Optional.empty();
    }
    JsonNode auths;
    try {
      auths = new ObjectMapper().readTree(Files.readAllBytes(configFile)).path("auths");
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read the Docker config file " + configFile + ": " + e.getMessage()
              + ". Fix its JSON or remove it", e);
    }
    Iterator<Map.Entry<String, JsonNode>> entries = auths.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (hostOf(entry.getKey()).equalsIgnoreCase(registry)) {
        return Optional.of(decode(entry.getValue(), configFile, entry.getKey()));
      }
    }
    return Optional.empty();
  }

  /** Returns the host and port of an {@code auths} key such as {@code https://HOST:PORT/v1/} or {@code HOST}. */
  static String hostOf(String key) {
    String text = key.strip();
    if (text.contains("://")) {
      String authority = URI.create(text).getRawAuthority();
      return authority == null ? text : authority;
    }
    int slash = text.indexOf('/');
    return slash < 0 ? text : text.substring(0, slash);
  }

  private static RegistryCredentials decode(JsonNode entry, Path configFile, String key) {
    String auth = entry.path("auth").asText("");
    if (!auth.isEmpty()) {
      String pair;
      try {
        pair = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalid(configFile, key, "its auth value is not valid base64");
      }
      int colon = pair.indexOf(':');
      if (colon < 0) {
        throw invalid(configFile, key, "its auth value does not decode to user:password");
      }
      return new RegistryCredentials(pair.substring(0, colon), pair.substring(colon + 1));
    }
    String username = entry.path("username").asText("");
    String password = entry.path("password").asText("");
    if (username.isEmpty() || password.isEmpty()) {
      throw invalid(configFile, key, "it has neither an auth value nor a username and password");
    }
    return new RegistryCredentials(username, password);
  }

  private static ImageBuildException invalid(Path configFile, String key, String problem) {
    return new ImageBuildException(
        "invalid entry '" + key + "' in auths of the Docker config file " + configFile + ": " + problem
            + ". Log in again with docker login or podman login --authfile " + configFile);
  }
}
