package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Fixed LoRA limits of a base expert. Without them the operator derives vLLM's --max-loras and --max-lora-rank
 * from the adapters naming the base (changing them restarts the base's pods).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoraLimits {
    @Min(1)
    @Max(256)
    @JsonPropertyDescription("Adapters the base serves at once (vLLM --max-loras and --max-cpu-loras); adapters "
            + "beyond it, the newest first, are refused (Degraded, TooManyAdapters).")
    public Integer maxLoras;

    @Min(1)
    @Max(512)
    @JsonPropertyDescription("Largest adapter rank (vLLM --max-lora-rank: 1, 8, 16, 32, 64, 128, 256, 320 or 512); "
            + "an adapter with a larger spec.adapter.rank is refused (Degraded, RankTooLarge).")
    public Integer maxLoraRank;
}
