package dev.debimage.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests the suggestions that a "package not found" message offers. */
class NameSuggestionsTest {

  @Test
  void swappedLettersCountAsOneEdit() {
    assertEquals(1, NameSuggestions.distance("crul", "curl"));
    assertEquals(1, NameSuggestions.distance("crul", "crun"));
    assertEquals(2, NameSuggestions.distance("crul", "cil"));
    assertEquals(1, NameSuggestions.distance("curll", "curl"));
    assertEquals(0, NameSuggestions.distance("curl", "curl"));
    assertEquals(4, NameSuggestions.distance("", "curl"));
  }

  @Test
  void transposedNameIsAmongTheClosest() {
    List<String> names = List.of("crun", "ccal", "cewl", "cil", "cmus", "curl", "wget");
    assertEquals(List.of("crun", "curl"), NameSuggestions.similar("crul", names).subList(0, 2));
  }

  @Test
  void prefixMatchesComeAfterCloseNames() {
    List<String> names = List.of("openjdk-17-jre-headless", "openjdk-17-jre", "openjdk-17-jdk");
    assertEquals(
        List.of("openjdk-17-jre-headless", "openjdk-17-jre"),
        NameSuggestions.similar("openjdk-17-jre-headles", names));
  }
}
