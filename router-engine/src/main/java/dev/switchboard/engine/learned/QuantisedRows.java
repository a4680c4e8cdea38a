package dev.switchboard.engine.learned;

import java.util.Base64;

/**
 * Compact storage of the kNN predictor's points and scores in the JSON artifact: embeddings as int8 with one scale
 * per row (value = byte * scale), scores in 0..1 as unsigned bytes (value = byte / 255); both base64-encoded.
 */
public final class QuantisedRows {
    private QuantisedRows() {
    }

    public record Int8(String data, float[] scales) {
    }

    public static Int8 encodeInt8(float[][] rows) {
        int d = rows[0].length;
        byte[] bytes = new byte[rows.length * d];
        float[] scales = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            float max = 0;
            for (float v : rows[i]) {
                max = Math.max(max, Math.abs(v));
            }
            float scale = max == 0 ? 1 : max / 127f;
            scales[i] = scale;
            for (int j = 0; j < d; j++) {
                bytes[i * d + j] = (byte) Math.round(rows[i][j] / scale);
            }
        }
        return new Int8(Base64.getEncoder().encodeToString(bytes), scales);
    }

    /** @return null when the data does not hold rows x d bytes */
    static float[][] decodeInt8(String data, float[] scales, int d) {
        byte[] bytes = Base64.getDecoder().decode(data);
        if (bytes.length != scales.length * d) {
            return null;
        }
        float[][] rows = new float[scales.length][d];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                rows[i][j] = bytes[i * d + j] * scales[i];
            }
        }
        return rows;
    }

    public static String encodeUnit(double[][] rows) {
        int m = rows[0].length;
        byte[] bytes = new byte[rows.length * m];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < m; j++) {
                double v = Math.max(0, Math.min(1, rows[i][j]));
                bytes[i * m + j] = (byte) Math.round(v * 255);
            }
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** @return null when the data does not hold n x m bytes */
    static double[][] decodeUnit(String data, int n, int m) {
        byte[] bytes = Base64.getDecoder().decode(data);
        if (bytes.length != n * m) {
            return null;
        }
        double[][] rows = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                rows[i][j] = (bytes[i * m + j] & 0xff) / 255.0;
            }
        }
        return rows;
    }
}
