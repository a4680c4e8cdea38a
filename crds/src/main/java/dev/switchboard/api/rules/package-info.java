/**
 * The rules of the API that the operator and the router must apply the same way: which ExpertModels, Secrets and
 * ConfigMaps a resource refers to ({@link dev.switchboard.api.rules.References}), which experts a RoutingPolicy
 * routes among ({@link dev.switchboard.api.rules.PolicyExperts}, with Kubernetes label-selector semantics in
 * {@link dev.switchboard.api.rules.LabelSelectors}), and what makes a policy unservable whatever the cluster
 * holds besides its experts ({@link dev.switchboard.api.rules.PolicyRules}). Plain Java over the API classes.
 */
package dev.switchboard.api.rules;
