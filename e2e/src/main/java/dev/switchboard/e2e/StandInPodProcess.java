package dev.switchboard.e2e;

import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.StandInExpert;

import java.time.Duration;

/** An expert pod: an in-process OpenAI-compatible stand-in for vLLM, named after the expert. */
final class StandInPodProcess implements PodProcess {
    private final StandInExpert expert;

    StandInPodProcess(String expertName) {
        this.expert = new StandInExpert(expertName, "127.0.0.1", FreePort.pick()).start();
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
