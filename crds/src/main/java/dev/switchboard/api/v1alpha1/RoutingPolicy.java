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
@ValidationRule(value = "self.metadata.name.size() <= " + Names.MAX_POLICY_NAME,
        message = "metadata.name must be at most " + Names.MAX_POLICY_NAME + " characters: the router's Service "
                + "<name>" + Names.ROUTER_SUFFIX + " must fit in 63")
@ValidationRule(value = "self.metadata.name.matches('" + Names.DNS_1035_LABEL + "')",
        message = "metadata.name must be a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, "
                + "no dots): it names the router's Service <name>" + Names.ROUTER_SUFFIX)
@ValidationRule(value = "!has(self.spec) || !has(self.spec.shadow) || self.spec.shadow.policy != self.metadata.name",
        message = "spec.shadow.policy names this policy itself; a policy cannot shadow itself",
        fieldPath = ".spec.shadow.policy")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Model", jsonPath = ".status.modelName")
@AdditionalPrinterColumn(name = "Strategy", jsonPath = ".spec.strategy.type")
@AdditionalPrinterColumn(name = "Experts", jsonPath = ".status.readyExperts")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
        priority = 1)
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
