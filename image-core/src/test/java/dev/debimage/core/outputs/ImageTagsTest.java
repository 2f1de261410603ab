package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTagsTest {

  @Test
  void additionalTagsShareName() {
    ImageTags tags = ImageTags.parse("localhost:5000/team/app:1.0", List.of("latest", " 1 ", ""));

    assertEquals(List.of("1.0", "latest", "1"), tags.tags());
    assertEquals(ImageReference.parse("localhost:5000/team/app:1.0"), tags.primary());
    assertEquals(ImageReference.parse("localhost:5000/team/app:latest"), tags.references().get(1));
    assertEquals("localhost:5000/team/app:1.0, localhost:5000/team/app:latest, localhost:5000/team/app:1",
        tags.toString());
  }

  @Test
  void referenceWithoutTagIsLatest() {
    ImageTags tags = ImageTags.parse("example/app", List.of("1.0"));

    assertEquals(List.of("latest", "1.0"), tags.tags());
  }

  @Test
  void nullEntriesAreIgnored() {
    ImageTags tags = ImageTags.parse("example/app:1.0", Arrays.asList(null, "edge"));

    assertEquals(List.of("1.0", "edge"), tags.tags());
  }

  @Test
  void invalidTagIsNamed() {
    for (String tag : List.of("-dash", ".dot", "with space", "a:b", "x".repeat(129), "ü")) {
      ImageBuildException e =
          assertThrows(ImageBuildException.class, () -> ImageTags.parse("example/app:1.0", List.of(tag)), tag);
      assertTrue(e.getMessage().startsWith("invalid tag '" + tag.strip() + "' in <tags>"), e.getMessage());
    }
  }

  @Test
  void longestValidTagIsAccepted() {
    String tag = "_" + "x".repeat(127);

    assertEquals(tag, ImageTags.parse("example/app:1.0", List.of(tag)).tags().get(1));
  }

  @Test
  void duplicateTagIsNamed() {
    ImageBuildException twice = assertThrows(
        ImageBuildException.class, () -> ImageTags.parse("example/app:1.0", List.of("latest", "latest")));
    assertTrue(twice.getMessage().contains("duplicate tag 'latest'"), twice.getMessage());
    assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());

    ImageBuildException primary = assertThrows(
        ImageBuildException.class, () -> ImageTags.parse("example/app:1.0", List.of("1.0")));
    assertTrue(primary.getMessage().contains("duplicate tag '1.0'"), primary.getMessage());
    assertTrue(primary.getMessage().contains("already the tag of the image example/app:1.0"), primary.getMessage());
  }

  @Test
  void invalidReferenceIsRejected() {
    assertThrows(ImageBuildException.class, () -> ImageTags.parse("Example/App:1.0", List.of("latest")));
  }
}
