package dev.switchboard.router.shadow;

import dev.switchboard.engine.Decision;
import dev.switchboard.engine.ExpertInfo;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.PolicyRoute;
import dev.switchboard.engine.Query;
import dev.switchboard.engine.RoutePlan;
import dev.switchboard.engine.ShadowRoute;
import dev.switchboard.engine.table.RoutingTable;
import dev.switchboard.router.config.RouterConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets the shadow of a live policy ({@code spec.shadow}) decide on a live request, after the live decision and
 * off the request's path: the shadow's strategy runs on the bounded {@link ShadowPool} (a full pool sheds the shadow
 * decision, counted, and the request never waits), no expert is called for it, and the comparison is recorded in
 * {@link ShadowMetrics} and the {@link ShadowLedger} (whence the shadow policy's status.shadow). For the sampled
 * share ({@code spec.shadow.sampleAnswers}) the shadow's expert is also asked, non-streamed and billed to no tenant,
 * and both answers go to {@link ShadowSamples}.
 */
@ApplicationScoped
public class ShadowObserver {
    private static final Logger LOG = Logger.getLogger(ShadowObserver.class);
    /** Raw bytes of a live answer captured for a sample (SSE framing included); the text is cut further. */
    private static final int MAX_CAPTURE_BYTES = 256 * 1024;

    private final ShadowPool pool;
    private final ShadowLedger ledger;
    private final ShadowMetrics metrics;
    private final ShadowSamples samples;
    private final ModelClient models;
    private final int maxChars;
    private final int maxSampleCalls;
    private final AtomicInteger sampleCalls = new AtomicInteger();
    private final Vertx vertx;

    public ShadowObserver(RouterConfig config, ShadowLedger ledger, ShadowMetrics metrics, ShadowSamples samples,
                          ModelClient models, Vertx vertx) {
        this.vertx = vertx;
        this.pool = new ShadowPool(config.shadow().threads(), config.shadow().queue());
        this.ledger = ledger;
        this.metrics = metrics;
        this.samples = samples;
        this.models = models;
        this.maxChars = Math.max(0, config.shadow().sampleAnswerChars());
        this.maxSampleCalls = Math.max(0, config.shadow().sampleCallsInFlight());
    }

    void stop(@Observes ShutdownEvent event) {
        pool.close();
    }

    /**
     * After {@code live}'s strategy decided {@code liveDecision} in {@code liveNanos}: hands the shadow decision to
     * the pool and returns at once. Returns the capture to feed with the live answer when this request is sampled,
     * else null.
     *
     * @param body    the request as sent to the live expert (for a sampled shadow answer)
     * @param apiPath the OpenAI path after /v1
     */
    public LiveAnswer observe(RoutingTable table, PolicyRoute live, Query query, JsonObject body, String apiPath,
                              Decision liveDecision, long liveNanos) {
        ShadowRoute shadow = table.shadowOf(live).orElse(null);
        if (shadow == null) {
            return null;
        }
        try {
            return submit(live, shadow, query, body, apiPath, liveDecision, liveNanos);
        } catch (RuntimeException e) {
            // whatever goes wrong with a shadow, the live request carries on as if there were none
            metrics.failed(live.name(), shadow.policy().name());
            LOG.debugf("shadow %s of policy %s not run: %s", shadow.policy().name(), live.name(), e.toString());
            return null;
        }
    }

    private LiveAnswer submit(PolicyRoute live, ShadowRoute shadow, Query query, JsonObject body, String apiPath,
                              Decision liveDecision, long liveNanos) {
        ShadowTally tally = ledger.tally(live, shadow);
        LiveAnswer capture = sampled(shadow, liveDecision) ? new LiveAnswer(MAX_CAPTURE_BYTES) : null;
        JsonObject sampleBody = capture == null ? null : body.copy();
        boolean queued = pool.offer(() -> decide(live, shadow, tally, query, liveDecision, liveNanos, capture,
                sampleBody, apiPath));
        if (!queued) {
            tally.shed();
            metrics.shed(live.name(), shadow.policy().name());
            return null;
        }
        return capture;
    }

    private boolean sampled(ShadowRoute shadow, Decision live) {
        return shadow.sampleAnswers() > 0 && live.expert() != null && maxSampleCalls > 0
                && ThreadLocalRandom.current().nextDouble() < shadow.sampleAnswers();
    }

    private void decide(PolicyRoute live, ShadowRoute shadow, ShadowTally tally, Query query, Decision liveDecision,
                        long liveNanos, LiveAnswer capture, JsonObject body, String apiPath) {
        String shadowName = shadow.policy().name();
        Decision decision;
        long started = System.nanoTime();
        try {
            decision = shadow.policy().strategy().decide(query, shadow.policy());
        } catch (RuntimeException e) {
            metrics.failed(live.name(), shadowName);
            LOG.debugf("shadow %s of policy %s failed to decide: %s", shadowName, live.name(), e.toString());
            return;
        }
        long nanos = System.nanoTime() - started;
        String category = liveDecision.category() == null ? "none" : liveDecision.category();
        tally.decided(category, liveDecision.expert(), decision.expert(), liveNanos, nanos);
        metrics.decided(live.name(), shadowName, category, liveDecision.expert(), decision.expert(), liveNanos,
                nanos);
        if (capture != null) {
            sample(live, shadow, tally, query, liveDecision, decision, capture, body, apiPath);
        }
    }

    /** Asks the shadow's expert (unless it is the live one) and keeps both answers once both are in. */
    private void sample(PolicyRoute live, ShadowRoute shadow, ShadowTally tally, Query query, Decision liveDecision,
                        Decision decision, LiveAnswer capture, JsonObject body, String apiPath) {
        String shadowName = shadow.policy().name();
        ExpertInfo expert = decision.expert() == null ? null : shadow.policy().experts().get(decision.expert());
        boolean agreed = decision.expert() != null && decision.expert().equals(liveDecision.expert());
        CompletableFuture<String> shadowAnswer;
        boolean calling = false;
        if (agreed) {
            shadowAnswer = CompletableFuture.completedFuture(null); // the live answer is the shadow's answer
        } else if (expert == null || !expert.routable()) {
            metrics.sample(live.name(), shadowName, "failed");
            return;
        } else if (sampleCalls.incrementAndGet() > maxSampleCalls) {
            sampleCalls.decrementAndGet();
            metrics.sample(live.name(), shadowName, "busy");
            return;
        } else {
            calling = true;
            body.remove("stream_options");
            body.put("stream", false);
            shadowAnswer = new CompletableFuture<>();
            CompletableFuture<String> answer = shadowAnswer;
            // a context of its own (the client's request may be over before the answer is): the call is not
            // cancelled with the client's, and it runs on an event loop, as the proxy needs
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            context.runOnContext(v -> models.call(RoutePlan.single(expert, shadow.policy()), apiPath, body.encode())
                    .whenComplete((reply, e) -> {
                        if (e != null) {
                            answer.completeExceptionally(e);
                        } else {
                            answer.complete(reply.body());
                        }
                    }));
        }
        boolean release = calling;
        capture.done().thenCombine(shadowAnswer, (liveAnswer, shadowRaw) -> {
            String liveText = AnswerText.of(liveAnswer[1], maxChars);
            JsonObject sample = new JsonObject()
                    .put("time", Instant.now().toString())
                    .put("policy", live.name()).put("shadow", shadowName)
                    .put("category", liveDecision.category() == null ? "none" : liveDecision.category())
                    .put("question", query.text())
                    .put("live", new JsonObject().put("expert", liveAnswer[0]).put("answer", liveText))
                    .put("shadowChoice", new JsonObject().put("expert", decision.expert())
                            .put("answer", agreed ? liveText : AnswerText.of(shadowRaw, maxChars)))
                    .put("agreed", agreed);
            samples.add(sample);
            tally.sampled();
            metrics.sample(live.name(), shadowName, "kept");
            return sample;
        }).whenComplete((s, e) -> {
            if (release) {
                sampleCalls.decrementAndGet();
            }
            if (e != null) {
                metrics.sample(live.name(), shadowName, "failed");
                LOG.debugf("shadow sample of %s/%s dropped: %s", live.name(), shadowName, e.toString());
            }
        });
    }
}
