package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** How queries for one model name are routed among ExpertModels; the operator runs a router for it. */
@Group(ExpertModel.GROUP)
@Version(ExpertModel.VERSION)
@Kind("RoutingPolicy")
@Plural("routingpolicies")
@Singular("routingpolicy")
@ShortNames({"routing", "routings"})
@Categories("switchboard")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Model", jsonPath = ".status.modelName")
@AdditionalPrinterColumn(name = "Strategy", jsonPath = ".spec.strategy.type")
@AdditionalPrinterColumn(name = "Experts", jsonPath = ".status.readyExperts")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
        priority = 1)
@ValidationRule(value = "!has(self.spec) || !has(self.spec.shadow) || self.spec.shadow.policy != self.metadata.name",
        message = "spec.shadow.policy names this policy itself; a policy cannot shadow itself",
        fieldPath = ".spec.shadow.policy")
public class RoutingPolicy extends CustomResource<RoutingPolicySpec, RoutingPolicyStatus> implements Namespaced {

    /** The model name clients send: spec.modelName, else metadata.name. */
    @JsonIgnore
    public String modelName() {
        if (getSpec() != null && getSpec().modelName != null && !getSpec().modelName.isBlank()) {
            return getSpec().modelName;
        }
        return getMetadata().getName();
    }
}
