package dev.switchboard.router.picking;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.PolicyRoute;

import java.util.ArrayList;
import java.util.List;

/**
 * Session stickiness across experts ({@code spec.endpointPicking.session.stickyExpert}): a conversation stays on the
 * expert that answered its previous turn while that expert is routable, even when the strategy now ranks another
 * first. The decision then says so in its fallback reason ({@value #REASON} ..., the x-switchboard-fallback header).
 */
public final class StickyExperts {
    static final String REASON = "sticky-session:";

    private StickyExperts() {
    }

    /**
     * @param sticky the expert that last answered the session, or null
     * @return the decision with {@code sticky} first, or {@code decision} itself when stickiness does not apply
     */
    public static Decision apply(Decision decision, PolicyRoute policy, String sticky) {
        if (sticky == null || !policy.picking().stickyExpert() || decision.directAnswer() != null
                || sticky.equals(decision.expert()) || !policy.isRoutable(sticky)) {
            return decision;
        }
        List<String> ranked = new ArrayList<>(decision.ranked().size() + 1);
        ranked.add(sticky);
        for (String e : decision.ranked()) {
            if (!e.equals(sticky)) {
                ranked.add(e);
            }
        }
        String reason = REASON + " conversation kept on expert " + sticky + " (the strategy chose "
                + (decision.expert() == null ? "none" : decision.expert()) + ")";
        if (decision.fallbackReason() != null) {
            reason = reason + "; " + decision.fallbackReason();
        }
        return new Decision(decision.policy(), decision.strategy(), ranked, decision.category(),
                decision.confidence(), reason, decision.scores(), null);
    }
}
