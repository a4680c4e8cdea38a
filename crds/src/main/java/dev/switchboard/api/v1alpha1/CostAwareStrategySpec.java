package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Trade predicted quality against cost with one knob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CostAwareStrategySpec {
    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Cost weight (lambda): each expert scores predicted quality minus lambda times its "
            + "relative cost. 0 picks the best predicted quality; larger values favour cheaper experts.")
    public Double costWeight = 0.0;
}
