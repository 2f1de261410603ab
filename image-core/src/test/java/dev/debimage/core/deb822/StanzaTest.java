package dev.debimage.core.deb822;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StanzaTest {

  private static final String TEXT =
      "Package: hello\nVersion: 2.10-3\nArchitecture: amd64\nSection: devel\n"
          + "Description: greeting\n line two\n";

  @Test
  void fieldsKeepOrderAndSpelling() {
    Stanza stanza = Deb822.parse(TEXT, "test").get(0);

    assertEquals(List.of("Package", "Version", "Architecture", "Section", "Description"), stanza.names());
    assertEquals(stanza.names(), new ArrayList<>(stanza.fields().keySet()));
    assertEquals("greeting\nline two", stanza.fields().get("Description"));
    assertNull(stanza.fields().get("description"));
    assertTrue(stanza.fields().containsKey("Section"));
    assertEquals(5, stanza.fields().size());
  }

  @Test
  void lookupIgnoresCase() {
    Stanza stanza = Deb822.parse(TEXT, "test").get(0);

    assertEquals(Optional.of("amd64"), stanza.get("ARCHITECTURE"));
    assertEquals("devel", stanza.get("section", "none"));
    assertEquals("none", stanza.get("Priority", "none"));
    assertTrue(stanza.has("package"));
    assertFalse(stanza.has("Depends"));
  }

  @Test
  void requireNamesMissingField() {
    Stanza stanza = Deb822.parse(TEXT, "test").get(0);

    Deb822Exception e = assertThrows(Deb822Exception.class, () -> stanza.require("Depends", "index X"));

    assertEquals("missing field Depends in index X", e.getMessage());
  }

  @Test
  void withAndWithoutLeaveOriginalUnchanged() {
    Stanza stanza = Deb822.parse(TEXT, "test").get(0);

    Stanza changed = stanza.with("version", "3.0-1").with("Status", "install ok installed");
    Stanza smaller = stanza.without("SECTION", "Description");

    assertEquals("2.10-3", stanza.require("Version", "test"));
    assertEquals("3.0-1", changed.require("Version", "test"));
    assertEquals(List.of("Package", "Version", "Architecture", "Section", "Description", "Status"), changed.names());
    assertEquals(List.of("Package", "Version", "Architecture"), smaller.names());
    assertEquals(5, stanza.names().size());
  }

  @Test
  void mapConstructorKeepsOrder() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Package", "x");
    fields.put("Depends", "y");

    Stanza stanza = new Stanza(fields);

    assertEquals("Package: x\nDepends: y\n", stanza.format());
  }

  @Test
  void repeatedFieldKeepsLastValue() {
    Stanza stanza = Deb822.parse("Package: a\nVersion: 1\npackage: b\n", "test").get(0);

    assertEquals(List.of("Package", "Version"), stanza.names());
    assertEquals("b", stanza.require("Package", "test"));
  }

  @Test
  void repeatedValuesShareOneString() {
    List<Stanza> stanzas = Deb822.parse(
        "Package: a\nArchitecture: amd64\n\nPackage: b\nArchitecture: amd64\n", "test");

    assertSame(stanzas.get(0).require("Architecture", "test"), stanzas.get(1).require("Architecture", "test"));
    assertSame(stanzas.get(0).names().get(1), stanzas.get(1).names().get(1));
  }
}
