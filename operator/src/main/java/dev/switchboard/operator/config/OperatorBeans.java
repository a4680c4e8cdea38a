package dev.switchboard.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;


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
    dev.switchboard.operator.adapter.PodAddresses podAddresses(SwitchboardOperatorConfig config) {
        return config.endpointMapFile().filter(f -> !f.isBlank())
                .map(f -> dev.switchboard.operator.adapter.PodAddresses.mappedBy(java.nio.file.Path.of(f)))
                .orElseGet(dev.switchboard.operator.adapter.PodAddresses::direct);
    }

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(SwitchboardOperatorConfig config) {
        LeaderElectionConfigurationBuilder builder = LeaderElectionConfigurationBuilder
                .aLeaderElectionConfiguration(config.leaseName());
        config.leaseNamespace().filter(ns -> !ns.isBlank()).ifPresent(builder::withLeaseNamespace);
        return builder.build();
    }
}
