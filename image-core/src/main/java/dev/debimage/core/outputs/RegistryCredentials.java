package dev.debimage.core.outputs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and password (or access token) for a container registry.
 *
 * @param username the user name
 * @param password the password or access token
 */
public record RegistryCredentials(String username, String password) {

  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** Returns the value of an HTTP {@code Authorization} header for Basic authentication. */
  String basicAuthorization() {
    String pair = username + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the user name alone, so that logs and exception messages never show the password. */
  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + "]";
  }
}
