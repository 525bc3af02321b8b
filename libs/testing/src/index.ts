export { runToExit, type SpawnedService, spawnService, spawnUntilListening } from './spawn-service';
export { startTestBroker, type TestBroker } from './test-broker';
export { createTestDatabase, type TestDatabase } from './test-database';
export { tempDir } from './temp-dir';
export { describeServiceBoot } from './service-boot.suite';
export { TopicRecorder } from './topic-recorder';
export { eventually } from './eventually';
export { compileServiceModule } from './service-module';
export { APACHE_KAFKA_VERSION, type ApacheKafkaOptions, type RunningApacheKafka, startApacheKafka } from './apache-kafka';
