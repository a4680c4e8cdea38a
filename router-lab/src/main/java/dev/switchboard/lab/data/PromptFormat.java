package dev.switchboard.lab.data;

import java.util.List;

/**
 * Which text of a data row the router is trained on. Training text should look like what the router sees at
 * serving time: for multiple-choice data a client sends the question together with its options, and the options
 * say a lot about the kind of question (numeric answers, code, quotations), so they are included by default.
 * {@link #BOTH} serves both kinds of client: bare questions as well as questions with their options.
 */
public enum PromptFormat {
    /** The {@code question} (or {@code prompt}) field alone. */
    QUESTION("question"),
    /** The question followed by one "A. option" line per entry of {@code options}, when the row has options. */
    QUESTION_AND_OPTIONS("question+options"),
    /**
     * Training rows with options contribute two texts, the question with its options and the question alone, so one
     * artifact serves clients that send the options and clients that send a bare question. Rows that are evaluated
     * (dev, eval) are read as question+options: {@link #text} is that text and {@link #alternate} the second one.
     */
    BOTH("both");

    private final String flag;

    PromptFormat(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }

    public static PromptFormat parse(String value) {
        for (PromptFormat f : values()) {
            if (f.flag.equals(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--prompt must be question, question+options or both, got '" + value + "'");
    }

    /** The text to embed for a row with this question and (possibly empty) options. */
    public String text(String question, List<String> options) {
        if (this == QUESTION || options.isEmpty()) {
            return question;
        }
        StringBuilder s = new StringBuilder(question.strip());
        for (int i = 0; i < options.size(); i++) {
            s.append('\n').append(optionLabel(i)).append(". ").append(options.get(i));
        }
        return s.toString();
    }

    /** The second training text of a row under {@link #BOTH} (the question alone), or null: only rows with options. */
    public String alternate(String question, List<String> options) {
        return this == BOTH && !options.isEmpty() ? QUESTION.text(question, options) : null;
    }

    /** A, B, ..., Z, then AA, AB... (MMLU-Pro has up to ten options). */
    static String optionLabel(int i) {
        return i < 26 ? String.valueOf((char) ('A' + i)) : optionLabel(i / 26 - 1) + (char) ('A' + i % 26);
    }
}
