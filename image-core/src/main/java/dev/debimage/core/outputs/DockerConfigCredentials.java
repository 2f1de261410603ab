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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads registry credentials from a Docker client config file ({@code config.json}), as written by
 * {@code docker login}: the {@code auths} object maps a registry to base64 {@code user:password},
 * and {@code credHelpers} and {@code credsStore} name credential helpers that hold them.
 */
public final class DockerConfigCredentials {

  /** The key under which the Docker client stores Docker Hub's credentials. */
  static final String DOCKER_HUB_ADDRESS = "https://index.docker.io/v1/";

  private static final java.util.Set<String> DOCKER_HUB_NAMES =
      java.util.Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "index.docker.io/v1/");

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
   * Finds the credentials for {@code registry} (a host with an optional port) in {@code configFile},
   * running credential helpers found in {@code PATH}, as {@link #find(Path, String, List)} does.
   */
  public static Optional<RegistryCredentials> find(Path configFile, String registry) {
    return find(configFile, registry, CredentialHelper.pathDirectories());
  }

  /**
   * Finds the credentials for {@code registry} (a host with an optional port) in {@code configFile},
   * in the order the Docker client uses: the helper that {@code credHelpers} names for the
   * registry, else the helper that {@code credsStore} names, else the {@code auths} entry. A helper
   * that has no credentials for the registry passes on to the {@code auths} entry. An {@code auths}
   * key matches when its host and port equal the registry's, with or without a URL scheme and
   * path. Returns empty when the file does not exist or nothing matches.
   *
   * @param helperDirectories where to look for {@code docker-credential-NAME} programs
   * @throws ImageBuildException if the file cannot be read, its entry for the registry is invalid,
   *     or a helper it names is missing or fails
   */
  public static Optional<RegistryCredentials> find(Path configFile, String registry, List<Path> helperDirectories) {
    if (!Files.isRegularFile(configFile)) {
      return Optional.empty();
    }
    JsonNode config;
    try {
      config = new ObjectMapper().readTree(Files.readAllBytes(configFile));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read the Docker config file " + configFile + ": " + e.getMessage()
              + ". Fix its JSON or remove it", e);
    }
    if (config == null || !config.isObject()) {
      throw new ImageBuildException(
          "invalid Docker config file " + configFile + ": it is not a JSON object. Fix it or remove it");
    }

    Optional<String> helper = helperFor(config.path("credHelpers"), registry);
    if (helper.isEmpty() && config.path("credsStore").isTextual() && !config.path("credsStore").asText().isBlank()) {
      helper = Optional.of(config.path("credsStore").asText().strip());
    }
    if (helper.isPresent()) {
      Optional<RegistryCredentials> fromHelper =
          new CredentialHelper(helper.get(), helperDirectories).get(serverAddress(registry));
      if (fromHelper.isPresent()) {
        return fromHelper;
      }
    }

    Iterator<Map.Entry<String, JsonNode>> entries = config.path("auths").fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (sameRegistry(hostOf(entry.getKey()), registry) && hasCredentials(entry.getValue())) {
        return Optional.of(decode(entry.getValue(), configFile, entry.getKey()));
      }
    }
    return Optional.empty();
  }

  /** Returns the helper that a {@code credHelpers} object names for the registry. */
  private static Optional<String> helperFor(JsonNode credHelpers, String registry) {
    Iterator<Map.Entry<String, JsonNode>> helpers = credHelpers.fields();
    while (helpers.hasNext()) {
      Map.Entry<String, JsonNode> helper = helpers.next();
      if (sameRegistry(hostOf(helper.getKey()), registry) && helper.getValue().isTextual()) {
        return Optional.of(helper.getValue().asText().strip());
      }
    }
    return Optional.empty();
  }

  /**
   * Returns whether an {@code auths} entry contains credentials. With a {@code credsStore}, the Docker
   * client leaves an empty entry for each registry it logged in to; such an entry is skipped.
   */
  private static boolean hasCredentials(JsonNode entry) {
    return entry.size() > 0;
  }

  /**
   * Returns the server address the Docker client stores Docker Hub under, {@code
   * https://index.docker.io/v1/}, for Docker Hub's names, and the registry itself otherwise.
   */
  static String serverAddress(String registry) {
    return DOCKER_HUB_NAMES.contains(registry.toLowerCase(java.util.Locale.ROOT)) ? DOCKER_HUB_ADDRESS : registry;
  }

  private static boolean sameRegistry(String key, String registry) {
    if (key.equalsIgnoreCase(registry)) {
      return true;
    }
    return serverAddress(key).equals(DOCKER_HUB_ADDRESS) && serverAddress(registry).equals(DOCKER_HUB_ADDRESS);
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
