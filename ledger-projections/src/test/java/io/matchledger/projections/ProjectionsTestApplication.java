package io.matchledger.projections;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;

/**
 * The slice tests' application: entities and repositories of this package, and no Axon infrastructure. The tests
 * deliver events and queries through Axon's annotation adapters themselves.
 */
@SpringBootConfiguration
@AutoConfigurationPackage
class ProjectionsTestApplication {}
