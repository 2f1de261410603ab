package dev.debimage.core.multistrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.multistrap.MultistrapKeys.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks that the key table of docs/multistrap.md matches {@link MultistrapKeys#ALL}. */
class MultistrapDocsTest {

  /** Maven runs the tests in the image-core directory; the docs are one level up. */
  private static final Path DOC = Path.of("..", "docs", "multistrap.md");

  private static List<String> keyRows() throws IOException {
    List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    int start = lines.indexOf("## Keys");
    assertTrue(start >= 0, "no '## Keys' heading in " + DOC);
    List<String> rows = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("| `")) {
        rows.add(line);
      }
    }
    return rows;
  }

  private static String row(Key key) {
    String section = key.scope() == MultistrapKeys.Scope.GENERAL ? "[General]" : "repository";
    return "| `" + key.name() + "` | " + section + " | " + key.status().label() + " | " + key.note() + " |";
  }

  @Test
  void docTableMatchesCode() throws IOException {
    List<String> rows = keyRows();
    List<String> expected = MultistrapKeys.ALL.stream().map(MultistrapDocsTest::row).toList();

    assertEquals(expected.size(), rows.size(), "rows in " + DOC);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), rows.get(i), "row " + (i + 1) + " of the key table in " + DOC);
    }
  }

  @Test
  void everyKeyNamedOnce() {
    List<String> names = new ArrayList<>();
    for (Key key : MultistrapKeys.ALL) {
      String id = key.scope() + " " + key.name();
      assertTrue(!names.contains(id), "duplicate " + id);
      names.add(id);
    }
  }
}
