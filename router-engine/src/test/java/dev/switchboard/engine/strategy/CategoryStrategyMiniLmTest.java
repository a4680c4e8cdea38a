package dev.switchboard.engine.strategy;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.Fixtures;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.table.ArtifactSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped example composition (deploy/examples: category-policy.yaml and the experts) with the real
 * all-MiniLM-L6-v2 encoder: the examples must route the obvious queries where a user expects them.
 */
class CategoryStrategyMiniLmTest {
    static PolicyRoute coe;

    @BeforeAll
    static void build() {
        coe = Fixtures.exampleRoute("category-policy.yaml", ArtifactSource.NONE);
        assertThat(coe.modelName()).isEqualTo("switchboard-coe");
        assertThat(coe.experts()).containsOnlyKeys("math", "code", "medical", "legal", "generalist", "frontier");
    }

    @Test
    void routesByMeaning() {
        assertRoute("What is the integral of 2x?", "math", "math");
        assertRoute("Write a Java method that sorts a list", "code", "code");
        assertRoute("What are the side effects of ibuprofen?", "medical", "medical");
        assertRoute("Can my employer fire me for posting on social media?", "law", "legal");
    }

    @Test
    void smallTalkGoesToTheGeneralist() {
        Decision d = coe.strategy().decide(new Query("hi, how are you?"), coe);
        assertThat(d.expert()).isEqualTo("generalist");
        assertThat(d.fallbackReason() == null ? d.category() : d.fallbackReason()).isIn("general", "low-confidence");
    }

    private static void assertRoute(String query, String category, String expert) {
        Decision d = coe.strategy().decide(new Query(query), coe);
        assertThat(d.category()).as(query + " " + d.scores()).isEqualTo(category);
        assertThat(d.expert()).as(query + " " + d).isEqualTo(expert);
        assertThat(d.fallbackReason()).as(query + " " + d).isNull();
    }
}
