package dev.switchboard.router.picking;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The router's estimate of what each replica holds in vLLM's prefix cache: for each prompt block hash
 * ({@link PromptBlocks}), the replicas (base URLs) this router last sent a prompt containing it, most recent first,
 * at most {@value #REPLICAS_PER_BLOCK}. Bounded: the least recently used blocks are forgotten first, as vLLM evicts
 * them. A prompt's blocks are recorded last block first, so a prompt's head outlives its tail and a match on a block
 * usually implies a match on every block before it. Thread-safe (one lock; lookups are a binary search).
 */
public final class PrefixIndex {
    static final int REPLICAS_PER_BLOCK = 4;

    /** The longest recorded prefix of a prompt on a replica that the caller accepts. */
    public record Match(String endpoint, int blocks) {
    }

    private final int maxBlocks;
    private final LinkedHashMap<Long, String[]> blocks;

    public PrefixIndex(int maxBlocks) {
        this.maxBlocks = Math.max(1, maxBlocks);
        this.blocks = new LinkedHashMap<>(Math.min(this.maxBlocks, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String[]> eldest) {
                return size() > PrefixIndex.this.maxBlocks;
            }
        };
    }

    /**
     * The replica holding the longest prefix of {@code prompt}, longer than {@code minBlocks} blocks, among those
     * {@code accept} takes; ties go to the replica that most recently received it. Null when there is none.
     */
    public Match longest(long[] prompt, int minBlocks, Predicate<String> accept) {
        if (prompt.length <= minBlocks) {
            return null;
        }
        synchronized (blocks) {
            // Binary search for the last recorded block (recorded prefixes are contiguous from the first block).
            int lo = minBlocks;
            int hi = prompt.length - 1;
            int last = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (blocks.containsKey(prompt[mid])) {
                    last = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            // From there back: the first block whose replicas include one the caller accepts.
            for (int b = last; b >= minBlocks; b--) {
                String[] holders = blocks.get(prompt[b]);
                if (holders == null) {
                    continue;
                }
                for (String endpoint : holders) {
                    if (endpoint != null && accept.test(endpoint)) {
                        return new Match(endpoint, b + 1);
                    }
                }
            }
            return null;
        }
    }

    /** Records that {@code endpoint} received {@code prompt} (so it caches every block of it). */
    public void record(long[] prompt, String endpoint) {
        synchronized (blocks) {
            for (int b = prompt.length - 1; b >= 0; b--) {
                String[] holders = blocks.get(prompt[b]);
                if (holders == null) {
                    holders = new String[REPLICAS_PER_BLOCK];
                    holders[0] = endpoint;
                    blocks.put(prompt[b], holders);
                } else {
                    moveToFront(holders, endpoint);
                }
            }
        }
    }

    public int size() {
        synchronized (blocks) {
            return blocks.size();
        }
    }

    private static void moveToFront(String[] holders, String endpoint) {
        int at = holders.length - 1;
        for (int i = 0; i < holders.length; i++) {
            if (endpoint.equals(holders[i]) || holders[i] == null) {
                at = i;
                break;
            }
        }
        System.arraycopy(holders, 0, holders, 1, at);
        holders[0] = endpoint;
    }
}
