package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

import java.util.ArrayList;
import java.util.List;

/** The inference engine (vLLM) that serves a deployed expert. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EngineSpec {
    @Size(max = Names.MAX_IMAGE)
    @JsonPropertyDescription("Container image of the vLLM OpenAI server. Defaults to the operator's configured image.")
    public String image;

    @JsonPropertyDescription("Extra command-line arguments appended to the vLLM server, e.g. --enable-prefix-caching.")
    @Size(max = 64)
    public List<@Size(max = 1024) String> args = new ArrayList<>();

    @JsonPropertyDescription("Extra environment variables for the engine container; an entry replaces a variable "
            + "the operator sets of the same name (HOME, HF_HOME, ...), except the generated VLLM_API_KEY.")
    @Size(max = 64)
    @ValidationRule(value = "self.all(e, self.exists_one(o, o.name == e.name))",
            message = "each name may appear once: the Deployment's env is keyed by name")
    public List<EnvEntry> env = new ArrayList<>();

    @Min(1)
    @JsonPropertyDescription("Maximum context length (vLLM --max-model-len).")
    public Integer maxModelLen;

    @Min(0.05)
    @Max(1.0)
    @JsonPropertyDescription("Fraction of GPU memory vLLM may use (vLLM --gpu-memory-utilization), 0.05..1.")
    public Double gpuMemoryUtilization;

    @Size(max = 16)
    @Pattern("^(auto|half|float16|bfloat16|float|float32)$")
    @JsonPropertyDescription("Weight and activation dtype: auto, half, float16, bfloat16, float or float32.")
    public String dtype;

    @Size(max = 63)
    @Pattern("^[a-z0-9_-]+$")
    @JsonPropertyDescription("Quantization method passed to vLLM --quantization, e.g. awq, gptq, fp8.")
    public String quantization;

    @JsonPropertyDescription("Fixed LoRA limits when adapter experts name this expert as their base; derived from "
            + "the adapters when left out.")
    public LoraLimits lora;
}
