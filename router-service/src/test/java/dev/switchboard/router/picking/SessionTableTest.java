package dev.switchboard.router.picking;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTableTest {
    @Test
    void entriesExpireAfterTheirTtl() {
        SessionTable t = new SessionTable(10);
        t.put("a", "x", 100, 1_000);
        assertThat(t.get("a", 1_100)).isEqualTo("x");
        assertThat(t.get("a", 1_101)).isNull();
        assertThat(t.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedEntryGoesBeyondMaxEntries() {
        SessionTable t = new SessionTable(3);
        for (String k : new String[]{"a", "b", "c"}) {
            t.put(k, k, 1_000, 0);
        }
        assertThat(t.get("a", 1)).isEqualTo("a"); // a is now the most recent
        t.put("d", "d", 1_000, 2);
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.get("b", 3)).isNull();
        assertThat(t.get("a", 3)).isEqualTo("a");
        assertThat(t.get("d", 3)).isEqualTo("d");
    }

    @Test
    void thePrefixIndexIsBoundedAndForgetsTailsBeforeHeads() {
        PrefixIndex index = new PrefixIndex(4);
        index.record(new long[]{1, 2, 3, 4, 5, 6}, "r1");
        assertThat(index.size()).isEqualTo(4);
        // blocks 5 and 6 (the tail) were forgotten: the longest match is 4 blocks
        assertThat(index.longest(new long[]{1, 2, 3, 4, 5, 6}, 0, e -> true))
                .isEqualTo(new PrefixIndex.Match("r1", 4));
        assertThat(index.longest(new long[]{1, 2, 3, 4}, 0, e -> !e.equals("r1"))).isNull();
        assertThat(index.longest(new long[]{1, 2}, 2, e -> true)).isNull();
    }

    @Test
    void aBlockRemembersItsMostRecentReplicas() {
        PrefixIndex index = new PrefixIndex(100);
        for (String r : new String[]{"r1", "r2", "r3", "r4", "r5"}) {
            index.record(new long[]{7}, r);
        }
        assertThat(index.longest(new long[]{7}, 0, e -> true).endpoint()).isEqualTo("r5");
        assertThat(index.longest(new long[]{7}, 0, e -> e.equals("r1"))).isNull(); // only the last 4 are kept
        assertThat(index.longest(new long[]{7}, 0, e -> e.equals("r2")).endpoint()).isEqualTo("r2");
    }
}
