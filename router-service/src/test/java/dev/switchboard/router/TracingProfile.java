package dev.switchboard.router;

import dev.switchboard.router.support.OtlpReceiver;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The router with OpenTelemetry switched on as the operator does it (SDK enabled, an OTLP endpoint, a sample
 * ratio), exporting over OTLP/HTTP protobuf to an in-process receiver on loopback, in batches every 50 ms.
 */
public class TracingProfile implements QuarkusTestProfile {
    static final OtlpReceiver RECEIVER = new OtlpReceiver();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.traces.endpoint", RECEIVER.endpoint(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.traces.sampler.arg", "1.0",
                "quarkus.otel.bsp.schedule.delay", "50ms");
    }
}
