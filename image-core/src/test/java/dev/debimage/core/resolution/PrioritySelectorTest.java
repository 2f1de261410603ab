package dev.debimage.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrioritySelectorTest {

  private static BinaryPackage pkg(String name, String version, String priority) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Package", name);
    fields.put("Version", version);
    fields.put("Architecture", "amd64");
    if (priority != null) {
      fields.put("Priority", priority);
    }
    return new BinaryPackage(
        name, version, "amd64", new Stanza(fields), "pool/main/" + name + ".deb", 1, "00",
        URI.create("http://archive.invalid/debian"), "bookworm", "main");
  }

  private static final List<BinaryPackage> AVAILABLE = List.of(
      pkg("dpkg", "1.21.22", "required"),
      pkg("bash", "5.2.15-2", "required"),
      pkg("apt", "2.6.1", "important"),
      pkg("hello", "2.10-3", "optional"),
      pkg("nopriority", "1.0", null),
      // The newest version decides: demoted in the newer upload.
      pkg("demoted", "1.0-1", "required"),
      pkg("demoted", "1.0-2", "optional"),
      // Promoted in the newer upload; epoch 1 sorts above 2.0.
      pkg("promoted", "2.0", "optional"),
      pkg("promoted", "1:1.0", "Required"));

  @Test
  void requiredSelectsNewestRequired() {
    List<String> selected = PrioritySelector.multistrap(Set.of("required")).select(AVAILABLE);

    assertEquals(List.of("bash", "dpkg", "promoted"), selected);
  }

  @Test
  void importantAddsImportant() {
    List<String> selected = PrioritySelector.multistrap(Set.of("required", "important")).select(AVAILABLE);

    assertEquals(List.of("apt", "bash", "dpkg", "promoted"), selected);
  }

  @Test
  void emptyUniverseSelectsNothing() {
    assertEquals(List.of(), PrioritySelector.multistrap(Set.of("required")).select(List.of()));
  }

  @Test
  void descriptionNamesPriorities() {
    String description = PrioritySelector.multistrap(Set.of("required", "important")).description();

    assertTrue(description.contains("Priority: important"), description);
    assertTrue(description.contains("Priority: required"), description);
  }
}
