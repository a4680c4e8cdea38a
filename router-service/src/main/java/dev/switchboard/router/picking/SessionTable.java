package dev.switchboard.router.picking;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where sessions went: session key to a value (a replica's base URL, an expert's name), forgotten {@code ttl} after
 * the session's last use and, beyond {@code maxEntries}, least recently used first. Thread-safe.
 */
public final class SessionTable {
    private record Entry(String value, long expiresAtNanos) {
    }

    private final int maxEntries;
    private final LinkedHashMap<String, Entry> entries;

    public SessionTable(int maxEntries) {
        this.maxEntries = Math.max(1, maxEntries);
        this.entries = new LinkedHashMap<>(Math.min(this.maxEntries, 1 << 12), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > SessionTable.this.maxEntries;
            }
        };
    }

    /** The session's value, or null when unknown or expired. */
    public String get(String key, long nowNanos) {
        synchronized (entries) {
            Entry e = entries.get(key);
            if (e == null) {
                return null;
            }
            if (nowNanos - e.expiresAtNanos > 0) {
                entries.remove(key);
                return null;
            }
            return e.value;
        }
    }

    /** Remembers the session's value until {@code ttlNanos} from now. */
    public void put(String key, String value, long ttlNanos, long nowNanos) {
        synchronized (entries) {
            entries.put(key, new Entry(value, nowNanos + ttlNanos));
        }
    }

    public void remove(String key) {
        synchronized (entries) {
            entries.remove(key);
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
