package dev.switchboard.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrinterColumnOrderTest {
    @AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready")
    @AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp")
    static class Annotated {
    }

    @AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready")
    static class MissingAge {
    }

    static final String GENERATED = """
            spec:
              versions:
              - additionalPrinterColumns:
                - jsonPath: ".metadata.creationTimestamp"
                  name: "Age"
                  type: "date"
                - jsonPath: ".status.ready"
                  name: "Ready"
                  type: "string"
                name: "v1"
            """;

    @Test
    void columnsFollowTheAnnotationsAndNothingElseMoves() {
        assertThat(PrinterColumnOrder.declared(GENERATED, Annotated.class)).isEqualTo("""
                spec:
                  versions:
                  - additionalPrinterColumns:
                    - jsonPath: ".status.ready"
                      name: "Ready"
                      type: "string"
                    - jsonPath: ".metadata.creationTimestamp"
                      name: "Age"
                      type: "date"
                    name: "v1"
                """);
    }

    @Test
    void columnsThatDoNotMatchTheAnnotationsAreAnError() {
        assertThatThrownBy(() -> PrinterColumnOrder.declared(GENERATED, MissingAge.class))
                .hasMessageContaining("MissingAge").hasMessageContaining("[Age, Ready]");
    }
}
