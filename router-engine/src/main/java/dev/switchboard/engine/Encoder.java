package dev.switchboard.engine;

import java.util.ArrayList;
import java.util.List;

/** Turns text into a unit-length embedding vector. Implementations must be thread-safe. */
public interface Encoder {
    /** Identifies model and preprocessing; a trained artifact records it and is refused by another encoder. */
    String id();

    int dimension();

    float[] embed(String text);

    default List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(embed(t));
        }
        return out;
    }
}
