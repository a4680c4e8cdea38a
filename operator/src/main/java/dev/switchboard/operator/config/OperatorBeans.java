package dev.switchboard.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/** CDI wiring: the validated operator config and the leader election lease (active in the prod profile). */
@Singleton
public class OperatorBeans {

    @Produces
    @Singleton
    OperatorConfig operatorConfig(SwitchboardOperatorConfig config) {
        return config.toOperatorConfig();
    }

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "switchboard.operator.lease-name", defaultValue = "switchboard-operator-lease")
            String leaseName,
            @ConfigProperty(name = "switchboard.operator.lease-namespace") Optional<String> leaseNamespace) {
        LeaderElectionConfigurationBuilder builder = LeaderElectionConfigurationBuilder
                .aLeaderElectionConfiguration(leaseName);
        leaseNamespace.filter(ns -> !ns.isBlank()).ifPresent(builder::withLeaseNamespace);
        return builder.build();
    }
}
