package dev.deploykit.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageSourceTest {

  @Test
  void parsesTheThreeSourcesIgnoringCaseAndBlanks() {
    assertThat(ImageSource.parse("auto")).isEqualTo(ImageSource.AUTO);
    assertThat(ImageSource.parse("")).isEqualTo(ImageSource.AUTO);
    assertThat(ImageSource.parse(" Official ")).isEqualTo(ImageSource.OFFICIAL);
    assertThat(ImageSource.parse("LOCAL")).isEqualTo(ImageSource.LOCAL);
  }

  @Test
  void aWrongValueNamesThePropertyAndTheChoices() {
    assertThatThrownBy(() -> ImageSource.parse("remote"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-Ddeploykit.images=remote is not a valid image source: use auto, official or local");
  }
}
