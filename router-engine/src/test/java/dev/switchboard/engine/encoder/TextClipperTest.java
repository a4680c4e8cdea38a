package dev.switchboard.engine.encoder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextClipperTest {
    @Test
    void shortTextsAreUntouched() {
        assertThat(TextClipper.clip("hello", 10)).isEqualTo("hello");
        assertThat(TextClipper.clip("0123456789", 10)).isEqualTo("0123456789");
    }

    @Test
    void longTextsKeepHeadAndTail() {
        assertThat(TextClipper.clip("abcdefghijklmnopqrstuvwxyz", 10)).isEqualTo("abcde\n...\nvwxyz");
    }

    @Test
    void surrogatePairsAreNotSplit() {
        String emoji = "\uD83D\uDE00";
        String clipped = TextClipper.clip("abcd" + emoji + "xxxxxxxxxx" + emoji + "wxyz", 10);
        assertThat(clipped).isEqualTo("abcd\n...\nwxyz");
    }

    @Test
    void longPromptsCostNoMoreThanTheCap() {
        MiniLmEncoder encoder = Encoders.miniLm();
        String question = " How do I compute the determinant of a 3x3 matrix?";
        String pasted = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(2000);
        float[] clipped = encoder.embed(pasted + question);
        float[] same = encoder.embed(TextClipper.clip(pasted + question, TextClipper.DEFAULT_MAX_CHARS));
        assertThat(VectorMath.cosine(clipped, same)).isGreaterThan(0.9999);
    }
}
