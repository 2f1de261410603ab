package dev.debimage.core.policy;

import java.util.List;

/**
 * One way the image breaks its policy.
 *
 * @param rule the rule broken: {@code forbidden package}, {@code forbidden path}, {@code setuid
 *     file} or {@code installed size}
 * @param subject the package, path or size at fault
 * @param chains for each package responsible, how it came in, such as {@code dash <- base-files
 *     (requested)}; empty when no package is known to be responsible
 */
public record PolicyViolation(String rule, String subject, List<String> chains) {

  public PolicyViolation {
    chains = List.copyOf(chains);
  }

  /** Returns one line: the rule, the subject and the chains. */
  public String describe() {
    String text = rule + ": " + subject;
    return chains.isEmpty() ? text : text + ", from " + String.join("; ", chains);
  }
}
