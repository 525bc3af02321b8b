import { createValidator } from '../validation/schema-validator';
import { API_KEY_RECORD_SCHEMA, type ApiKeyRecord } from './api-key-record.schema';
import { ATTEMPT_RECORD_SCHEMA, type AttemptRecord } from './attempt-record.schema';
import { DELIVERY_JOB_SCHEMA, type DeliveryJob } from './delivery-job.schema';
import { REJECTED_RECORD_SCHEMA, type RejectedRecord } from './rejected-record.schema';
import { SUBSCRIPTION_RECORD_SCHEMA, type SubscriptionRecord } from './subscription-record.schema';

/** Validators for the pipeline's own messages (consumers check what they read). */
export const validateSubscriptionRecord = createValidator<SubscriptionRecord>(SUBSCRIPTION_RECORD_SCHEMA);
export const validateDeliveryJob = createValidator<DeliveryJob>(DELIVERY_JOB_SCHEMA);
export const validateAttemptRecord = createValidator<AttemptRecord>(ATTEMPT_RECORD_SCHEMA);
export const validateRejectedRecord = createValidator<RejectedRecord>(REJECTED_RECORD_SCHEMA);
export const validateApiKeyRecord = createValidator<ApiKeyRecord>(API_KEY_RECORD_SCHEMA);
