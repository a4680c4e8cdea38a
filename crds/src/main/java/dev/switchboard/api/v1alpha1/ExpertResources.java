package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compute resources and placement of a deployed expert's pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExpertResources {
    public static final String QUANTITY = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    @Min(0)
    @Max(64)
    @Default("1")
    @JsonPropertyDescription("GPUs per replica; becomes the GPU limit and vLLM --tensor-parallel-size. 0 runs on CPU.")
    public Integer gpus = 1;

    @Default("nvidia.com/gpu")
    @Size(max = Names.MAX_SUBDOMAIN)
    @Pattern("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$")
    @JsonPropertyDescription("Extended resource name of the GPU, e.g. nvidia.com/gpu or amd.com/gpu.")
    public String gpuResource = "nvidia.com/gpu";

    @Size(max = Names.MAX_QUANTITY)
    @Pattern(QUANTITY)
    @JsonPropertyDescription("CPU request and limit per replica, e.g. \"8\".")
    public String cpu;

    @Size(max = Names.MAX_QUANTITY)
    @Pattern(QUANTITY)
    @JsonPropertyDescription("Memory request and limit per replica, e.g. \"48Gi\".")
    public String memory;

    @JsonPropertyDescription("Node labels the pods must match.")
    @Size(max = 32)
    public Map<String, @Size(max = Names.MAX_LABEL) String> nodeSelector = new LinkedHashMap<>();

    @JsonPropertyDescription("Tolerations of the pods, e.g. for tainted GPU nodes.")
    @Size(max = 32)
    public List<Toleration> tolerations = new ArrayList<>();

    @PreserveUnknownFields
    @JsonPropertyDescription("Pod affinity rules (core/v1 Affinity), passed through unchanged.")
    public Affinity affinity;

    @Size(max = Names.MAX_SUBDOMAIN)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("RuntimeClass of the pods, e.g. nvidia.")
    public String runtimeClassName;

    @Size(max = Names.MAX_SUBDOMAIN)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("PriorityClass of the pods.")
    public String priorityClassName;
}
