package dev.debimage.core.outputs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The first challenge of an HTTP {@code WWW-Authenticate} header (RFC 7235), such as
 * {@code Bearer realm="https://auth.example/token",service="registry"}.
 *
 * @param scheme the authentication scheme in lower case, such as {@code basic} or {@code bearer}
 * @param parameters the challenge's parameters, with lower-case names
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {

  /** Parses the header value, or returns empty when it names no scheme. */
  static Optional<AuthChallenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.strip();
    int space = text.indexOf(' ');
    String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> parameters = new LinkedHashMap<>();
    int i = space < 0 ? text.length() : space + 1;
    while (i < text.length()) {
      int equals = text.indexOf('=', i);
      if (equals < 0) {
        break;
      }
      String name = text.substring(i, equals).strip().toLowerCase(Locale.ROOT);
      if (name.contains(" ")) {
        break; // the start of a second challenge, such as "Basic realm"
      }
      StringBuilder value = new StringBuilder();
      int j = equals + 1;
      if (j < text.length() && text.charAt(j) == '"') {
        j++;
        while (j < text.length() && text.charAt(j) != '"') {
          if (text.charAt(j) == '\\' && j + 1 < text.length()) {
            j++;
          }
          value.append(text.charAt(j));
          j++;
        }
        j++; // the closing quote
      } else {
        while (j < text.length() && text.charAt(j) != ',') {
          value.append(text.charAt(j));
          j++;
        }
      }
      parameters.put(name, value.toString().strip());
      while (j < text.length() && (text.charAt(j) == ',' || text.charAt(j) == ' ')) {
        j++;
      }
      i = j;
    }
    return Optional.of(new AuthChallenge(scheme, Map.copyOf(parameters)));
  }
}
