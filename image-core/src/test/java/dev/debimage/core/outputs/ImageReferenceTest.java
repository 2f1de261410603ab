package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

  @Test
  void validReferencesAreParsed() {
    String[][] cases = {
      {"hello", "hello", "latest"},
      {"example/hello:1.0", "example/hello", "1.0"},
      {"registry.example/team/hello", "registry.example/team/hello", "latest"},
      {"registry.example:5000/team/hello:v2_rc-1", "registry.example:5000/team/hello", "v2_rc-1"},
      {"localhost/hello:dev", "localhost/hello", "dev"},
      {"localhost:5000/hello", "localhost:5000/hello", "latest"},
      {"a__b/c.d-e:x", "a__b/c.d-e", "x"},
    };
    for (String[] c : cases) {
      ImageReference reference = ImageReference.parse(c[0]);
      assertEquals(c[1], reference.name(), c[0]);
      assertEquals(c[2], reference.tag(), c[0]);
      assertEquals(c[1] + ":" + c[2], reference.toString(), c[0]);
    }
  }

  @Test
  void invalidReferencesAreRejected() {
    for (String reference :
        List.of("", "Hello", "example/hello:", "example/hello:-x", "example//hello", "/hello",
            "hello/", "example/hello@sha256:" + "a".repeat(64), "example/hello:1:2", "reg_istry.example/x",
            "example/hello:" + "x".repeat(129))) {
      ImageBuildException e =
          assertThrows(ImageBuildException.class, () -> ImageReference.parse(reference), reference);
      if (!reference.isEmpty()) {
        assertTrue(e.getMessage().contains(reference), e.getMessage());
      }
    }
  }
}
