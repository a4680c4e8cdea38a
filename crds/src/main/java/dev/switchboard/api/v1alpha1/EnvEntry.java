package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVarSource;

/**
 * One environment variable of the engine container: the fields of core/v1 EnvVar, with the name required and
 * limited to what every Kubernetes version accepts, so that the vLLM Deployment cannot be refused for it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.value) || self.value == '' || !has(self.valueFrom)",
        message = "value and valueFrom are mutually exclusive")
public class EnvEntry {
    /** What Kubernetes accepted as an environment variable name before the relaxed validation of 1.32. */
    public static final String NAME = "^[-._a-zA-Z][-._a-zA-Z0-9]*$";
    public static final int MAX_VALUE = 32768;

    @Required
    @Size(min = 1, max = 253)
    @Pattern(NAME)
    @JsonPropertyDescription("Variable name: letters, digits, '_', '-' and '.', not starting with a digit.")
    public String name;

    @Size(max = MAX_VALUE)
    @JsonPropertyDescription("Value of the variable.")
    public String value;

    @JsonPropertyDescription("Source of the value (a Secret or ConfigMap key, a pod field), as in core/v1 EnvVar.")
    public EnvVarSource valueFrom;

    public EnvEntry() {
    }

    public EnvEntry(String name, String value) {
        this.name = name;
        this.value = value;
    }
}
