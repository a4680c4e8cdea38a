package dev.switchboard.engine.encoder;

/**
 * Caps the text a sentence encoder sees. Transformer cost grows with length (langchain4j embeds long texts in
 * 510-token chunks), so a pasted document would make one routing decision take tens of milliseconds. Routing needs
 * the intent, which sits at the start or the end of a prompt: long texts keep their head and tail. The cap is about
 * the 256 word pieces all-MiniLM-L6-v2 was trained with.
 */
public final class TextClipper {
    public static final int DEFAULT_MAX_CHARS = 1200;

    private TextClipper() {
    }

    public static String clip(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int half = maxChars / 2;
        int headEnd = half;
        int tailStart = text.length() - half;
        // Do not split a surrogate pair.
        if (Character.isHighSurrogate(text.charAt(headEnd - 1))) {
            headEnd--;
        }
        if (Character.isLowSurrogate(text.charAt(tailStart))) {
            tailStart++;
        }
        return text.substring(0, headEnd) + "\n...\n" + text.substring(tailStart);
    }
}
