export { startBroker } from './broker/broker';
export type { BrokerOptions, BrokerStats, RunningBroker } from './broker/broker';
export { createJsonLogger, SILENT_LOGGER } from './broker/broker-logger';
export type { BrokerLogger, LogLevel } from './broker/broker-logger';
export type { FsyncPolicy } from './storage/partition-log';
export type { TopicDefaults } from './storage/log-manager';
export { SUPPORTED_API_VERSIONS } from './protocol/api-versions';
export { startEphemeralBroker } from './broker/ephemeral-broker';
