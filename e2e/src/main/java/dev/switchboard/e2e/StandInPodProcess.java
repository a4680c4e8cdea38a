package dev.switchboard.e2e;

import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.StandInExpert;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An expert pod: an in-process OpenAI-compatible stand-in for vLLM, named after the expert, reading the vLLM
 * arguments that matter to it from the pod: --served-model-name, --enable-lora/--max-loras and
 * VLLM_ALLOW_RUNTIME_LORA_UPDATING (runtime adapter loading); for simulations, a model load time of a cold start
 * given by the pod agent ({@link PodAgent#loadTime}: simulated hardware, so no spec field, and spec.engine.env is
 * closed by the default trust policy).
 */
final class StandInPodProcess implements PodProcess {
    private final StandInExpert expert;

    StandInPodProcess(String expertName) {
        this.expert = new StandInExpert(expertName, "127.0.0.1", FreePort.pick()).start();
    }

    StandInPodProcess(String expertName, Pod pod, Duration loadTime) {
        Container c = pod.getSpec().getContainers().get(0);
        List<String> args = c.getArgs() == null ? List.of() : c.getArgs();
        StandInExpert e = new StandInExpert(expertName, "127.0.0.1", FreePort.pick());
        arg(args, "--served-model-name").ifPresent(e::servedName);
        if (args.contains("--enable-lora")) {
            e.loras(arg(args, "--max-loras").map(Integer::parseInt).orElse(1),
                    env(c, "VLLM_ALLOW_RUNTIME_LORA_UPDATING").map(v -> v.equalsIgnoreCase("true") || v.equals("1"))
                            .orElse(false));
        }
        if (loadTime != null) {
            e.loadTime(loadTime);
        }
        this.expert = e.start();
    }

    private static Optional<String> arg(List<String> args, String name) {
        int i = args.lastIndexOf(name);
        return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
    }

    private static Optional<String> env(Container c, String name) {
        return c.getEnv() == null ? Optional.empty() : c.getEnv().stream().filter(v -> name.equals(v.getName()))
                .map(EnvVar::getValue).filter(v -> v != null).reduce((a, b) -> b);
    }

    StandInExpert expert() {
        return expert;
    }

    @Override
    public int localPort() {
        return expert.port();
    }

    @Override
    public boolean isAlive() {
        return true;
    }

    @Override
    public void stop(Duration grace) {
        expert.close();
    }
}
