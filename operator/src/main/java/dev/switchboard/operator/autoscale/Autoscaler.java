package dev.switchboard.operator.autoscale;

import dev.switchboard.api.v1alpha1.AutoscalerStatus;
import dev.switchboard.api.v1alpha1.ExpertModel;
import dev.switchboard.api.v1alpha1.RoutingPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Set;

/**
 * The built-in autoscaler of experts with {@code spec.autoscaling}: reads the demand routers publish in their
 * policies' {@code status.demand}, decides with {@link ScaleDecision} and acts through the ExpertModel's scale
 * subresource, exactly as {@code kubectl scale}, an HPA or KEDA would (which remain the alternative: leave
 * spec.autoscaling out and point them at the ExpertModel).
 */
public final class Autoscaler {
    private static final Logger LOG = Logger.getLogger(Autoscaler.class);

    private Autoscaler() {
    }

    /**
     * Decides for {@code expert} and scales it when the decision differs from spec.replicas.
     *
     * @param names    the expert's name and its adapters' names (their demand is the base's)
     * @return the status to publish under status.autoscaler
     */
    public static AutoscalerStatus run(KubernetesClient client, ExpertModel expert, Set<String> names,
                                       Collection<RoutingPolicy> policies, Instant now) {
        int current = expert.getSpec().replicas == null ? 1 : expert.getSpec().replicas;
        ExpertDemand demand = ExpertDemand.of(names, policies, now);
        ScaleDecision decision = ScaleDecision.decide(expert.getSpec().autoscaling, current, demand,
                lastBusy(expert), now);
        if (decision.replicas() != current) {
            LOG.infof("ExpertModel %s/%s: %s", expert.getMetadata().getNamespace(), expert.getMetadata().getName(),
                    decision.message());
            var resource = client.resources(ExpertModel.class).inNamespace(expert.getMetadata().getNamespace())
                    .withName(expert.getMetadata().getName());
            // GET then PUT of the scale subresource, as kubectl scale does; no wait for the pods
            resource.scale(new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder(resource.scale())
                    .editOrNewSpec().withReplicas(decision.replicas()).endSpec().build());
        }
        AutoscalerStatus status = new AutoscalerStatus();
        status.desiredReplicas = decision.replicas();
        status.demand = demand.inFlight();
        status.lastBusyTime = decision.lastBusy() == null ? null : decision.lastBusy().truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS).toString();
        status.message = decision.message();
        return status;
    }

    static Instant lastBusy(ExpertModel expert) {
        if (expert.getStatus() == null || expert.getStatus().autoscaler == null
                || expert.getStatus().autoscaler.lastBusyTime == null) {
            return null;
        }
        try {
            return Instant.parse(expert.getStatus().autoscaler.lastBusyTime);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
