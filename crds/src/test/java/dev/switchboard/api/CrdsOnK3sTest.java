package dev.switchboard.api;

import dev.switchboard.testing.K3sCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.IOException;

/** The CRD contract on k3s in a container (Testcontainers); skipped where no Docker engine answers. */
@EnabledIf(value = "dev.switchboard.testing.K3sCluster#dockerAvailable",
        disabledReason = "no Docker engine: the Testcontainers k3s variant is skipped")
class CrdsOnK3sTest extends CrdBehaviourContract {

    @BeforeAll
    static void install() throws IOException {
        installCrds(K3sCluster.clientOrSkip());
    }
}
