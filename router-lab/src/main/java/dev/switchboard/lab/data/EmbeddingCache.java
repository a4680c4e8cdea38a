package dev.switchboard.lab.data;

import dev.switchboard.engine.Encoder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Embeddings of training texts on disk, keyed by encoder id and SHA-256 of the text, so repeated train/eval runs
 * skip the encoder. One append-only file per encoder: records of (32-byte hash, dim floats).
 */
public final class EmbeddingCache {
    private final Encoder encoder;
    private final Path file;
    private final Map<String, float[]> vectors = new java.util.concurrent.ConcurrentHashMap<>();

    public EmbeddingCache(Encoder encoder, Path directory) {
        this.encoder = encoder;
        this.file = directory.resolve(encoder.id().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + encoder.dimension()
                + "-" + fingerprint(encoder) + ".bin");
        load();
    }

    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "switchboard", "embeddings");
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        int d = encoder.dimension();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] hash = new byte[32];
            while (true) {
                try {
                    in.readFully(hash);
                    float[] v = new float[d];
                    for (int j = 0; j < d; j++) {
                        v[j] = in.readFloat();
                    }
                    vectors.put(HexFormat.of().formatHex(hash), v);
                } catch (EOFException e) {
                    break; // a torn last record from an interrupted run is simply recomputed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedding cache " + file, e);
        }
    }

    public int size() {
        return vectors.size();
    }

    /** Embeds every text, from the cache when possible; {@code progress} gets the count done so far. */
    public float[][] embedAll(List<String> texts, int threads, IntConsumer progress) {
        float[][] out = new float[texts.size()][];
        List<Integer> missing = new ArrayList<>();
        String[] keys = new String[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            keys[i] = hash(texts.get(i));
            out[i] = vectors.get(keys[i]);
            if (out[i] == null) {
                missing.add(i);
            }
        }
        int done = texts.size() - missing.size();
        progress.accept(done);
        if (missing.isEmpty()) {
            return out;
        }
        // unique missing texts, embedded on `threads` workers, appended to the cache file as they finish
        java.util.LinkedHashMap<String, Integer> todo = new java.util.LinkedHashMap<>();
        for (int i : missing) {
            todo.putIfAbsent(keys[i], i);
        }
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger(done);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            Files.createDirectories(file.getParent());
            try (DataOutputStream w = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16))) {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (Map.Entry<String, Integer> e : todo.entrySet()) {
                    futures.add(pool.submit(() -> {
                        float[] v = encoder.embed(texts.get(e.getValue()));
                        synchronized (w) {
                            vectors.put(e.getKey(), v);
                            try {
                                w.write(HexFormat.of().parseHex(e.getKey()));
                                for (float f : v) {
                                    w.writeFloat(f);
                                }
                            } catch (IOException ex) {
                                throw new UncheckedIOException(ex);
                            }
                            progress.accept(count.incrementAndGet());
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : futures) {
                    f.get();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write embedding cache " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("embedding failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (int i : missing) {
            out[i] = vectors.get(keys[i]);
        }
        progress.accept(texts.size()); // duplicates were embedded once: report the whole batch as done
        return out;
    }

    /**
     * Hash of the encoder's output on a fixed long probe, so a change in the encoder's preprocessing (truncation,
     * clipping, model file) that keeps its id starts a new cache file instead of serving stale vectors.
     */
    static String fingerprint(Encoder encoder) {
        StringBuilder probe = new StringBuilder("Switchboard embedding cache probe. ");
        for (int i = 0; i < 60; i++) {
            probe.append("Sentence ").append(i).append(" about routing queries to expert models. ");
        }
        float[] v = encoder.embed(probe.toString());
        StringBuilder digits = new StringBuilder();
        for (float f : v) {
            digits.append(String.format(java.util.Locale.ROOT, "%.4f,", f));
        }
        return hash(digits.toString()).substring(0, 12);
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
