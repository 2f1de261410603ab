package dev.debimage.maven;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds the pom parameter to image-core's messages about invalid values. image-core has no Maven
 * names, so its messages name the value and the rule. A user of the plugin also needs the pom
 * element, or the {@code -D} property, that set the value.
 */
final class ParameterHints {

  /** Message beginnings that image-core uses, with the parameter that sets the value. */
  private static final Map<String, String> PARAMETERS = new LinkedHashMap<>();

  static {
    PARAMETERS.put("invalid layer compression", "<compression> or -Dimage.compression");
    PARAMETERS.put("invalid architecture", "<architecture>, <platforms> or -Dimage.architecture");
    PARAMETERS.put("invalid time zone", "<timezone> or -Dimage.timezone");
    PARAMETERS.put("time zone '", "<timezone> or -Dimage.timezone");
    PARAMETERS.put("invalid exposed port", "<ports> or -Dimage.ports");
    PARAMETERS.put("invalid user", "<user> or -Dimage.user");
    PARAMETERS.put("invalid working directory", "<workingDirectory> or -Dimage.workingDirectory");
    PARAMETERS.put("invalid entrypoint", "<entrypoint> or -Dimage.entrypoint");
    PARAMETERS.put("invalid package name", "<packages> or -Dimage.packages");
    PARAMETERS.put("invalid volume", "<volumes> or -Dimage.volumes");
    PARAMETERS.put("invalid stop signal", "<stopSignal> or -Dimage.stopSignal");
    PARAMETERS.put("invalid path filter", "<pathFilters> or -Dimage.pathFilters");
    PARAMETERS.put("invalid environment variable name", "<environment>");
    PARAMETERS.put("invalid value of environment variable", "<environment>");
    PARAMETERS.put("invalid maintainer script mode", "<maintainerScripts> or -Dimage.maintainerScripts");
    PARAMETERS.put("invalid mode '", "the <mode> of a <paths> entry");
    PARAMETERS.put("invalid path '", "the <path> of a <paths> entry");
    PARAMETERS.put("invalid target '", "the <target> of a <paths> entry");
    PARAMETERS.put("missing target of symbolic link", "the <target> of a <paths> entry");
    PARAMETERS.put("invalid forbidden path", "the <forbiddenPaths> of <policy>");
  }

  private ParameterHints() {}

  /**
   * Returns {@code message} with the parameter that sets the invalid value appended, such as
   * {@code (set by <compression> or -Dimage.compression)}, or unchanged when the message is about
   * something else.
   */
  static String withParameter(String message) {
    for (Map.Entry<String, String> entry : PARAMETERS.entrySet()) {
      if (message.startsWith(entry.getKey())) {
        return message + " (set by " + entry.getValue() + ")";
      }
    }
    return message;
  }
}
