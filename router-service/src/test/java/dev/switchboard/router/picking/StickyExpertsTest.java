package dev.switchboard.router.picking;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.EndpointPicking;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.PolicyRoute;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StickyExpertsTest {
    static final EndpointPicking STICKY = new EndpointPicking(EndpointPicking.Type.PREFIX_AFFINITY, 1.25,
            "x-session-id", true, true, null);

    static PolicyRoute policy(EndpointPicking picking, boolean codeRoutable) {
        ExpertInfo math = Conversations.expert(2);
        math = new ExpertInfo("math", "ns", "math", "math", math.endpoints(), null, Set.of(), "", List.of(), false,
                Map.of(), 0);
        ExpertInfo code = new ExpertInfo("code", "ns", "code", "code", codeRoutable
                ? Conversations.expert(1).endpoints() : List.of(), null, Set.of(), "", List.of(), false, Map.of(), 0);
        return new PolicyRoute("p", "ns", "p", null, Map.of("math", math, "code", code), null, null, null, picking);
    }

    static Decision chose(String expert) {
        return new Decision("p", "category", List.of(expert), "math", 0.9, null, Map.of(), null);
    }

    @Test
    void aStickySessionStaysOnItsExpertAndTheReasonSaysSo() {
        Decision d = StickyExperts.apply(chose("math"), policy(STICKY, true), "code");
        assertThat(d.ranked()).containsExactly("code", "math");
        assertThat(d.fallbackReason()).isEqualTo(
                "sticky-session: conversation kept on expert code (the strategy chose math)");
        assertThat(d.category()).isEqualTo("math");
    }

    @Test
    void stickinessIsOffByDefaultAndReleasedWhenTheExpertIsNotRoutable() {
        Decision d = chose("math");
        assertThat(StickyExperts.apply(d, policy(EndpointPicking.DEFAULT, true), "code")).isSameAs(d);
        assertThat(StickyExperts.apply(d, policy(STICKY, false), "code")).isSameAs(d);
        assertThat(StickyExperts.apply(d, policy(STICKY, true), "math")).isSameAs(d);
        assertThat(StickyExperts.apply(d, policy(STICKY, true), null)).isSameAs(d);
    }

    @Test
    void sessionKeysComeFromTheHeaderElseTheUserFieldAndAreScoped() {
        io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject().put("user", "alice");
        assertThat(SessionKeys.of("ns/p", "h1", body, STICKY)).isEqualTo("ns/p\u0000h1");
        assertThat(SessionKeys.of("ns/p", null, body, STICKY)).isEqualTo("ns/p\u0000alice");
        EndpointPicking noUser = new EndpointPicking(EndpointPicking.Type.PREFIX_AFFINITY, 1.25, "x-session-id",
                false, false, null);
        assertThat(SessionKeys.of("ns/p", " ", body, noUser)).isNull();
        assertThat(SessionKeys.of("ns/p", "k".repeat(1000), null, STICKY)).hasSizeLessThan(40);
    }
}
