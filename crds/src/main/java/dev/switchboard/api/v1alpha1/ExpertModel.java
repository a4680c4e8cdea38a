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

/** One expert LLM: a vLLM deployment the operator manages, or an external OpenAI-compatible endpoint. */
@Group(ExpertModel.GROUP)
@Version(ExpertModel.VERSION)
@Kind("ExpertModel")
@Plural("expertmodels")
@Singular("expertmodel")
@ShortNames({"expert", "experts"})
@Categories("switchboard")
@ValidationRule(value = "self.metadata.name.size() <= " + Names.MAX_EXPERT_NAME,
        message = "metadata.name must be at most " + Names.MAX_EXPERT_NAME + " characters: it names the expert's "
                + "Service and its pods' label switchboard.dev/expert")
@ValidationRule(value = "self.metadata.name.matches('" + Names.DNS_1035_LABEL + "')",
        message = "metadata.name must be a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, "
                + "no dots): it names the expert's Service")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Model", jsonPath = ".status.servedModelName")
@AdditionalPrinterColumn(name = "GPUs", jsonPath = ".spec.resources.gpus",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Available", jsonPath = ".status.readyReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class ExpertModel extends CustomResource<ExpertModelSpec, ExpertModelStatus> implements Namespaced {
    public static final String GROUP = "switchboard.dev";
    public static final String VERSION = "v1alpha1";

    /** The name clients use to pin this expert: model.servedName, else metadata.name. */
    @JsonIgnore
    public String servedModelName() {
        if (getSpec() != null && getSpec().model != null && getSpec().model.servedName != null) {
            return getSpec().model.servedName;
        }
        return getMetadata().getName();
    }

    /** The model name put in requests sent to the expert's endpoint. */
    @JsonIgnore
    public String upstreamModelName() {
        if (isExternal() && getSpec().external.model != null) {
            return getSpec().external.model;
        }
        return servedModelName();
    }

    /** spec.task is embed: it answers /v1/embeddings and is never part of a policy's routing. */
    @JsonIgnore
    public boolean embeds() {
        return getSpec() != null && "embed".equals(getSpec().task);
    }

    /** A LoRA adapter served on its base expert's pods (spec.adapter). */
    @JsonIgnore
    public boolean isAdapter() {
        return getSpec() != null && getSpec().adapter != null;
    }

    /** Its built-in autoscaler may take it to zero replicas: requests for it are held while it starts. */
    @JsonIgnore
    public boolean scalesFromZero() {
        return getSpec() != null && getSpec().autoscaling != null && getSpec().autoscaling.minOrDefault() == 0
                && !isExternal() && !isAdapter();
    }

    @JsonIgnore
    public boolean isExternal() {
        return getSpec() != null && getSpec().external != null;
    }
}
