package dev.debimage.core.assembly;

import java.util.List;

/**
 * A node of a parsed POSIX shell script, as far as {@link ShellParser} reads it. Words keep their
 * raw text, quotes included, so that they are expanded only when the evaluator reaches them.
 */
sealed interface ShellNode {

  /** A simple command: assignments and words, with redirections already dropped. */
  record Simple(List<String> words) implements ShellNode {}

  /** Commands run one after the other. */
  record Sequence(List<ShellNode> commands) implements ShellNode {}

  /** {@code left && right} or {@code left || right}. */
  record AndOr(ShellNode left, boolean and, ShellNode right) implements ShellNode {}

  /** Commands joined by {@code |}, optionally negated with {@code !}. */
  record Pipeline(List<ShellNode> commands, boolean negated) implements ShellNode {}

  /**
   * {@code if}: the conditions of {@code if} and each {@code elif} with their bodies, and the
   * {@code else} body or {@code null}.
   */
  record If(List<ShellNode> conditions, List<ShellNode> bodies, ShellNode elseBody)
      implements ShellNode {}

  /** {@code for name in words; do body; done}; {@code words} is {@code null} for {@code "$@"}. */
  record For(String name, List<String> words, ShellNode body) implements ShellNode {}

  /** {@code while} or {@code until} loops, which the evaluator never runs. */
  record Loop(ShellNode condition, ShellNode body) implements ShellNode {}

  /** {@code case word in pattern) body ;; esac}. */
  record Case(String word, List<CaseItem> items) implements ShellNode {}

  /** One branch of a {@code case}: its patterns and body. */
  record CaseItem(List<String> patterns, ShellNode body) {}

  /** {@code { list; }} or, with {@code subshell}, {@code ( list )}. */
  record Group(ShellNode body, boolean subshell) implements ShellNode {}

  /** {@code name() compound-command}. */
  record FunctionDefinition(String name, ShellNode body) implements ShellNode {}
}
