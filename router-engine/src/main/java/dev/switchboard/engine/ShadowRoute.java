package dev.switchboard.engine;

import java.util.Objects;

/**
 * A policy deciding in shadow on a live policy's requests ({@code spec.shadow}): the shadow's route, whose strategy
 * decides without any expert being called, and the share of requests whose shadow choice is also answered.
 *
 * @param live             the live policy's name
 * @param liveGeneration   the live policy's metadata.generation (0 when unknown, e.g. standalone files)
 * @param shadowGeneration the shadow policy's metadata.generation
 * @param sampleAnswers    fraction of requests (0..0.05) whose shadow choice is also answered
 */
public record ShadowRoute(String live, long liveGeneration, PolicyRoute policy, long shadowGeneration,
                          double sampleAnswers) {
    public ShadowRoute {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(policy, "policy");
    }

    /** The key of a policy in {@code RoutingTable.shadows()}: namespace/name. */
    public static String key(PolicyRoute live) {
        return live.namespace() + "/" + live.name();
    }
}
