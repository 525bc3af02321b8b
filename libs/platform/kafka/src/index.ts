export { type ConsumedMessage, ConsumerRunner, type ConsumerSpec, type HeldPartition } from './consumer-runner';
export { KafkaConnection } from './kafka-connection';
export { KafkaModule } from './kafka.module';
export { KafkaProducer, type OutgoingMessage } from './kafka-producer';
export { TopicAdmin, type TopicSpec } from './topic-admin';
export { PIPELINE_TOPIC_SPECS, topicSpecs } from './pipeline-topics';
export { type FollowerSpec, TopicFollower } from './topic-follower';
