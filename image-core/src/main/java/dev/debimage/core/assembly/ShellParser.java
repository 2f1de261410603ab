package dev.debimage.core.assembly;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the POSIX shell of maintainer scripts into {@link ShellNode}s, without running anything:
 * quoting, line continuations, comments, here-documents, {@code if}, {@code case}, {@code for},
 * {@code while}, functions, pipelines and {@code &&}/{@code ||} lists. Redirections are dropped.
 * Syntax it cannot read raises {@link IllegalArgumentException}.
 */
final class ShellParser {

  private static final Set<String> RESERVED = Set.of(
      "if", "then", "elif", "else", "fi", "for", "in", "do", "done", "case", "esac", "while",
      "until", "{", "}", "!");

  /** Token kinds: a word, an operator, or a line end. */
  private enum Kind { WORD, OPERATOR, NEWLINE, REDIRECT, END }

  private record Token(Kind kind, String text) {}

  private final List<Token> tokens;
  private int position;

  private ShellParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Parses a whole script. */
  static ShellNode parse(String script) {
    ShellParser parser = new ShellParser(tokenize(script));
    ShellNode node = parser.list(Set.of());
    if (parser.peek().kind != Kind.END) {
      throw new IllegalArgumentException("unexpected '" + parser.peek().text + "'");
    }
    return node;
  }

  // ---- tokenizer ----

  private static List<Token> tokenize(String script) {
    List<Token> tokens = new ArrayList<>();
    List<String> pendingHereDocs = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '\\' && i + 1 < n && script.charAt(i + 1) == '\n') {
        i += 2;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        flush(word, tokens);
        i++;
      } else if (c == '#' && word.length() == 0) {
        while (i < n && script.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '\n') {
        flush(word, tokens);
        tokens.add(new Token(Kind.NEWLINE, "\n"));
        i++;
        if (!pendingHereDocs.isEmpty()) {
          i = skipHereDocs(script, i, pendingHereDocs);
          pendingHereDocs.clear();
        }
      } else if (c == '<' || c == '>') {
        // A word of digits directly before the operator is its file descriptor.
        if (word.length() > 0 && !word.chars().allMatch(Character::isDigit)) {
          flush(word, tokens);
        }
        word.setLength(0);
        int start = i;
        i++;
        while (i < n && "<>&-|".indexOf(script.charAt(i)) >= 0) {
          i++;
        }
        String operator = script.substring(start, i);
        tokens.add(new Token(Kind.REDIRECT, operator));
        if (operator.startsWith("<<")) {
          while (i < n && (script.charAt(i) == ' ' || script.charAt(i) == '\t')) {
            i++;
          }
          int delimiterStart = i;
          i = scanWord(script, i);
          String delimiter = script.substring(delimiterStart, i).replace("'", "").replace("\"", "")
              .replace("\\", "");
          pendingHereDocs.add((operator.equals("<<-") ? "-" : "+") + delimiter);
          tokens.add(new Token(Kind.WORD, delimiter));
        }
      } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
        if (c == '(' && word.length() > 0 && word.charAt(word.length() - 1) == '$') {
          i = appendUntilClose(script, i, word);
          continue;
        }
        flush(word, tokens);
        String operator = String.valueOf(c);
        if (i + 1 < n && (c == ';' || c == '&' || c == '|') && script.charAt(i + 1) == c) {
          operator = operator + c;
        }
        tokens.add(new Token(Kind.OPERATOR, operator));
        i += operator.length();
      } else {
        int end = scanWordPart(script, i);
        word.append(script, i, end);
        i = end;
      }
    }
    flush(word, tokens);
    tokens.add(new Token(Kind.END, ""));
    return tokens;
  }

  private static void flush(StringBuilder word, List<Token> tokens) {
    if (word.length() > 0) {
      tokens.add(new Token(Kind.WORD, word.toString()));
      word.setLength(0);
    }
  }

  /** Returns the index after one quoted part, escape, expansion or plain character at {@code i}. */
  private static int scanWordPart(String s, int i) {
    char c = s.charAt(i);
    switch (c) {
      case '\'': {
        int close = s.indexOf('\'', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated single quote");
        }
        return close + 1;
      }
      case '"': {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != '"') {
          if (s.charAt(j) == '\\') {
            j += 2;
          } else if (s.charAt(j) == '$' && j + 1 < s.length() && s.charAt(j + 1) == '(') {
            j = closeParen(s, j + 1);
          } else if (s.charAt(j) == '`') {
            j = closeBacktick(s, j);
          } else {
            j++;
          }
        }
        if (j >= s.length()) {
          throw new IllegalArgumentException("unterminated double quote");
        }
        return j + 1;
      }
      case '\\':
        return Math.min(i + 2, s.length());
      case '`':
        return closeBacktick(s, i);
      case '$':
        if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
          int close = s.indexOf('}', i);
          if (close < 0) {
            throw new IllegalArgumentException("unterminated ${");
          }
          return close + 1;
        }
        if (i + 1 < s.length() && s.charAt(i + 1) == '(') {
          return closeParen(s, i + 1);
        }
        return i + 1;
      default:
        return i + 1;
    }
  }

  private static int appendUntilClose(String s, int open, StringBuilder word) {
    int end = closeParen(s, open);
    word.append(s, open, end);
    return end;
  }

  /** Returns the index after the {@code )} that closes the {@code (} at {@code open}. */
  private static int closeParen(String s, int open) {
    int depth = 0;
    int j = open;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '(') {
        depth++;
        j++;
      } else if (c == ')') {
        depth--;
        j++;
        if (depth == 0) {
          return j;
        }
      } else if (c == '\'' || c == '"' || c == '\\' || c == '`') {
        j = scanWordPart(s, j);
      } else {
        j++;
      }
    }
    throw new IllegalArgumentException("unterminated $(");
  }

  private static int closeBacktick(String s, int open) {
    int j = open + 1;
    while (j < s.length() && s.charAt(j) != '`') {
      j += s.charAt(j) == '\\' ? 2 : 1;
    }
    if (j >= s.length()) {
      throw new IllegalArgumentException("unterminated backquote");
    }
    return j + 1;
  }

  private static int scanWord(String s, int i) {
    int j = i;
    while (j < s.length() && " \t\n;&|()<>".indexOf(s.charAt(j)) < 0) {
      j = scanWordPart(s, j);
    }
    return j;
  }

  private static int skipHereDocs(String s, int i, List<String> delimiters) {
    int j = i;
    for (String delimiter : delimiters) {
      boolean stripTabs = delimiter.charAt(0) == '-';
      String end = delimiter.substring(1);
      while (true) {
        if (j >= s.length()) {
          throw new IllegalArgumentException("here-document without its end line " + end);
        }
        int lineEnd = s.indexOf('\n', j);
        String line = s.substring(j, lineEnd < 0 ? s.length() : lineEnd);
        j = lineEnd < 0 ? s.length() : lineEnd + 1;
        if ((stripTabs ? line.replaceFirst("^\t+", "") : line).equals(end)) {
          break;
        }
      }
    }
    return j;
  }

  // ---- parser ----

  private Token peek() {
    return tokens.get(position);
  }

  private Token next() {
    return tokens.get(position++);
  }

  private boolean atReserved(String word) {
    Token token = peek();
    return token.kind == Kind.WORD && token.text.equals(word);
  }

  private boolean atOperator(String operator) {
    Token token = peek();
    return token.kind == Kind.OPERATOR && token.text.equals(operator);
  }

  private void expectReserved(String word) {
    skipNewlines();
    if (!atReserved(word)) {
      throw new IllegalArgumentException("expected '" + word + "', found '" + peek().text + "'");
    }
    position++;
  }

  private void skipNewlines() {
    while (peek().kind == Kind.NEWLINE) {
      position++;
    }
  }

  /** Parses commands until one of {@code terminators}, {@code )}, {@code ;;} or the end. */
  private ShellNode list(Set<String> terminators) {
    List<ShellNode> commands = new ArrayList<>();
    while (true) {
      while (peek().kind == Kind.NEWLINE || atOperator(";") || atOperator("&")) {
        position++;
      }
      Token token = peek();
      if (token.kind == Kind.END || atOperator(")") || atOperator(";;")
          || (token.kind == Kind.WORD && terminators.contains(token.text))) {
        break;
      }
      commands.add(andOr());
    }
    return new ShellNode.Sequence(commands);
  }

  private ShellNode andOr() {
    ShellNode left = pipeline();
    while (atOperator("&&") || atOperator("||")) {
      boolean and = next().text.equals("&&");
      skipNewlines();
      left = new ShellNode.AndOr(left, and, pipeline());
    }
    return left;
  }

  private ShellNode pipeline() {
    boolean negated = false;
    if (atReserved("!")) {
      position++;
      negated = true;
    }
    List<ShellNode> commands = new ArrayList<>();
    commands.add(command());
    while (atOperator("|")) {
      position++;
      skipNewlines();
      commands.add(command());
    }
    if (commands.size() == 1 && !negated) {
      return commands.get(0);
    }
    return new ShellNode.Pipeline(commands, negated);
  }

  private ShellNode command() {
    Token token = peek();
    ShellNode node;
    if (token.kind == Kind.OPERATOR && token.text.equals("(")) {
      position++;
      ShellNode body = list(Set.of());
      expectOperator(")");
      node = new ShellNode.Group(body, true);
    } else if (token.kind == Kind.WORD && RESERVED.contains(token.text)) {
      node = compound(token.text);
    } else if (token.kind == Kind.WORD && tokens.get(position + 1).text.equals("(")
        && tokens.get(position + 2).text.equals(")")) {
      String name = next().text;
      position += 2;
      skipNewlines();
      node = new ShellNode.FunctionDefinition(name, command());
    } else {
      node = simple();
    }
    skipRedirections();
    return node;
  }

  private ShellNode compound(String keyword) {
    switch (keyword) {
      case "if":
        return ifCommand();
      case "for":
        return forCommand();
      case "while":
      case "until": {
        position++;
        ShellNode condition = list(Set.of("do"));
        expectReserved("do");
        ShellNode body = list(Set.of("done"));
        expectReserved("done");
        return new ShellNode.Loop(condition, body);
      }
      case "case":
        return caseCommand();
      case "{": {
        position++;
        ShellNode body = list(Set.of("}"));
        expectReserved("}");
        return new ShellNode.Group(body, false);
      }
      default:
        throw new IllegalArgumentException("unexpected '" + keyword + "'");
    }
  }

  private ShellNode ifCommand() {
    List<ShellNode> conditions = new ArrayList<>();
    List<ShellNode> bodies = new ArrayList<>();
    ShellNode elseBody = null;
    position++;
    while (true) {
      conditions.add(list(Set.of("then")));
      expectReserved("then");
      bodies.add(list(Set.of("elif", "else", "fi")));
      Token token = next();
      if (token.text.equals("elif")) {
        continue;
      }
      if (token.text.equals("else")) {
        elseBody = list(Set.of("fi"));
        expectReserved("fi");
      } else if (!token.text.equals("fi")) {
        throw new IllegalArgumentException("expected 'fi', found '" + token.text + "'");
      }
      return new ShellNode.If(conditions, bodies, elseBody);
    }
  }

  private ShellNode forCommand() {
    position++;
    String name = next().text;
    List<String> words = null;
    skipNewlines();
    if (atReserved("in")) {
      position++;
      words = new ArrayList<>();
      while (peek().kind == Kind.WORD) {
        words.add(next().text);
      }
    }
    if (atOperator(";")) {
      position++;
    }
    expectReserved("do");
    ShellNode body = list(Set.of("done"));
    expectReserved("done");
    return new ShellNode.For(name, words, body);
  }

  private ShellNode caseCommand() {
    position++;
    String word = next().text;
    skipNewlines();
    expectReserved("in");
    List<ShellNode.CaseItem> items = new ArrayList<>();
    while (true) {
      skipNewlines();
      if (atReserved("esac")) {
        position++;
        return new ShellNode.Case(word, items);
      }
      if (atOperator("(")) {
        position++;
      }
      List<String> patterns = new ArrayList<>();
      patterns.add(next().text);
      while (atOperator("|")) {
        position++;
        patterns.add(next().text);
      }
      expectOperator(")");
      ShellNode body = list(Set.of("esac"));
      if (atOperator(";;")) {
        position++;
      }
      items.add(new ShellNode.CaseItem(patterns, body));
    }
  }

  private void expectOperator(String operator) {
    skipNewlines();
    if (!atOperator(operator)) {
      throw new IllegalArgumentException(
          "expected '" + operator + "', found '" + peek().text + "'");
    }
    position++;
  }

  private ShellNode simple() {
    List<String> words = new ArrayList<>();
    while (true) {
      Token token = peek();
      if (token.kind == Kind.WORD) {
        words.add(next().text);
      } else if (token.kind == Kind.REDIRECT) {
        position++;
        if (peek().kind == Kind.WORD) {
          position++;
        }
      } else {
        break;
      }
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("unexpected '" + peek().text + "'");
    }
    return new ShellNode.Simple(words);
  }

  private void skipRedirections() {
    while (peek().kind == Kind.REDIRECT) {
      position++;
      if (peek().kind == Kind.WORD) {
        position++;
      }
    }
  }
}
