package dev.switchboard.router.support;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutingStrategy;
import dev.switchboard.engine.encoder.CachingEncoder;
import dev.switchboard.engine.encoder.HashingEncoder;

/**
 * Embeds every query through the engine's caching encoder (as category and semantic policies do) and then decides
 * like {@link NameMatchStrategy}: the memory test floods it with distinct large prompts. Type "semantic": decided
 * on the encoder pool.
 */
public final class CachedEmbeddingStrategy implements RoutingStrategy {
    private final CachingEncoder encoder = CachingEncoder.boundedByBytes(new HashingEncoder(), 4L << 20);
    private final NameMatchStrategy names = new NameMatchStrategy();

    public CachingEncoder encoder() {
        return encoder;
    }

    @Override
    public String type() {
        return "semantic";
    }

    @Override
    public Decision decide(Query query, PolicyRoute policy) {
        encoder.embed(query.text());
        return names.decide(query, policy);
    }
}
