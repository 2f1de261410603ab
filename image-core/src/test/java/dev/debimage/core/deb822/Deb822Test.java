package dev.debimage.core.deb822;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class Deb822Test {

  @Test
  void parsesStanzasSeparatedByBlankLines() {
    List<Stanza> stanzas =
        Deb822.parse("Package: a\nVersion: 1\n\n\nPackage: b\nVersion: 2\n", "test");

    assertEquals(2, stanzas.size());
    assertEquals("a", stanzas.get(0).get("Package").orElseThrow());
    assertEquals("2", stanzas.get(1).get("Version").orElseThrow());
  }

  @Test
  void fieldNamesIgnoreCase() {
    Stanza stanza = Deb822.parse("Pre-Depends: libc6\n", "test").get(0);

    assertEquals("libc6", stanza.get("pre-depends").orElseThrow());
    assertTrue(stanza.has("PRE-DEPENDS"));
  }

  @Test
  void multiLineValueKeepsEmptyFirstLine() {
    Stanza stanza =
        Deb822.parse("SHA256:\n abc 10 main/Packages\n def 20 main/Packages.xz\n", "test").get(0);

    assertEquals("\nabc 10 main/Packages\ndef 20 main/Packages.xz", stanza.get("SHA256").orElseThrow());
  }

  @Test
  void formatRoundTripsDescriptionAndConffiles() {
    String text =
        "Package: demo\n"
            + "Conffiles:\n /etc/demo.conf 0123\n"
            + "Description: short\n long line\n .\n  indented verbatim\n";
    Stanza stanza = Deb822.parse(text, "test").get(0);

    assertEquals(text, stanza.format());
  }

  @Test
  void commentsAreDropped() {
    List<Stanza> stanzas = Deb822.parse("# comment\nTypes: deb\n# inside\nSuites: bookworm\n", "test");

    assertEquals(1, stanzas.size());
    assertEquals(List.of("Types", "Suites"), stanzas.get(0).names());
  }

  @Test
  void continuationWithoutFieldIsRejected() {
    Deb822Exception error =
        assertThrows(Deb822Exception.class, () -> Deb822.parse(" orphan\n", "the index"));

    assertTrue(error.getMessage().contains("line 1 in the index"), error.getMessage());
  }

  @Test
  void lineWithoutColonIsRejected() {
    Deb822Exception error =
        assertThrows(Deb822Exception.class, () -> Deb822.parse("Package: a\nnonsense\n", "f"));

    assertTrue(error.getMessage().contains("'nonsense'"), error.getMessage());
  }

  @Test
  void withReplacesFieldInPlace() {
    Stanza stanza = Deb822.parse("Package: a\nVersion: 1\nArchitecture: all\n", "t").get(0);

    Stanza changed = stanza.with("version", "2").with("Status", "install ok installed");

    assertEquals(List.of("Package", "Version", "Architecture", "Status"), changed.names());
    assertEquals("2", changed.get("Version").orElseThrow());
    assertFalse(changed.without("Status").has("Status"));
  }

  @Test
  void wordsSplitsOnWhitespace() {
    Stanza stanza = Deb822.parse("Suites: bookworm  bookworm-updates\n", "t").get(0);

    assertEquals(List.of("bookworm", "bookworm-updates"), stanza.words("Suites"));
    assertEquals(List.of(), stanza.words("Components"));
  }
}
