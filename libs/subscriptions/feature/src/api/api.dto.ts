import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ATTEMPT_OUTCOMES, type AttemptOutcome } from '@harmony/contracts';
import { API_KEY_SCOPES } from '@harmony/subscriptions/domain';
import { EndpointHealthSummaryDto } from '../health/endpoint-health.dto';

/* Shapes for the OpenAPI document. Validation is done by the domain rules, which name the failing field. */

export class FieldErrorDto {
  @ApiProperty({ example: 'url' }) field!: string;
  @ApiProperty({ example: 'must use https' }) reason!: string;
}

export class ValidationErrorDto {
  @ApiProperty({ type: [FieldErrorDto] }) errors!: FieldErrorDto[];
}

export class ErrorDto {
  @ApiProperty({ enum: ['unauthenticated', 'forbidden', 'not_found', 'conflict'] }) error!: string;
  @ApiProperty() message!: string;
}

const EVENTS_SCHEMA = {
  oneOf: [{ type: 'string', enum: ['*'] }, { type: 'array', items: { type: 'string', example: 'contact.created' } }],
  description:
    "'*' for every Harmony event type (including ones added later), or a non-empty list of catalog event types. A list of operational event types only " +
    '(webhook.disabled, webhook.delivery_exhausted, webhook.recovered) registers the workspace\'s operational endpoint: admins only, one per workspace; ' +
    'it receives signed, retried events about the other webhooks.',
};

export class CreateWebhookDto {
  @ApiProperty({ maxLength: 120, example: 'CRM sync' }) name!: string;
  @ApiPropertyOptional({ type: String, maxLength: 1000, nullable: true }) description?: string | null;
  @ApiProperty({ maxLength: 2048, example: 'https://hooks.example.com/harmony/6f1e4d8e' }) url!: string;
  @ApiProperty(EVENTS_SCHEMA) events!: '*' | string[];
  @ApiPropertyOptional({ default: true }) enabled?: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 1000, description: 'Max requests per second to this endpoint; null = default.' })
  rateLimitPerSecond?: number | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Extra request headers (not webhook-*).' })
  headers?: Record<string, string>;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 120 }) name?: string;
  @ApiPropertyOptional({ type: String, maxLength: 1000, nullable: true }) description?: string | null;
  @ApiPropertyOptional({ maxLength: 2048 }) url?: string;
  @ApiPropertyOptional(EVENTS_SCHEMA) events?: '*' | string[];
  @ApiPropertyOptional({ description: 'false disables the webhook temporarily; true re-enables it.' }) enabled?: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 1000 }) rateLimitPerSecond?: number | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) headers?: Record<string, string>;
  @ApiPropertyOptional({ description: 'Admins only: hand the webhook to another active member.' }) ownerMemberId?: string;
}

export class WebhookHealthDto {
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) failingSince!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'While enabled and failing: when endpoint health will disable it (5 days after failingSince) unless a delivery succeeds first.',
  })
  disablesAt!: string | null;
}

export class LastDeliveryDto {
  @ApiProperty({ enum: ATTEMPT_OUTCOMES }) outcome!: AttemptOutcome;
  @ApiProperty({ nullable: true, type: Number }) httpStatus!: number | null;
  @ApiProperty({ nullable: true, type: String }) errorCode!: string | null;
  @ApiProperty({ format: 'date-time' }) finishedAt!: string;
}

export class WebhookOwnerDto {
  @ApiProperty() memberId!: string;
  @ApiProperty({ example: 'Ada Admin' }) displayName!: string;
  @ApiProperty({ enum: ['owner', 'admin', 'member'], description: "The owner's current role: the webhook receives what this member may see." }) role!: string;
}

export class WebhookDto {
  @ApiProperty({ example: 'sub_01JN8EY4M01Q2JXEXGJAGNSW68' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() url!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'URL must use https',
    description: "Why the deployment's current URL rules refuse this URL (they changed after it was saved), or null. Its deliveries fail with this reason and wait on the retry schedule until the URL is fixed.",
  })
  urlProblem!: string | null;
  @ApiProperty(EVENTS_SCHEMA) events!: '*' | string[];
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ description: "The workspace's operational endpoint (its events are operational event types only)." }) operational!: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'The endpoint answered 410 Gone.' }) disabledReason!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) disabledAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) rateLimitPerSecond!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) headers!: Record<string, string>;
  @ApiProperty() ownerMemberId!: string;
  @ApiProperty({ type: WebhookOwnerDto }) owner!: WebhookOwnerDto;
  @ApiProperty({
    type: [FieldErrorDto],
    description: "What the owner should know, e.g. admin-only events selected while the webhook's owner is a member (they are not delivered until the owner is an admin).",
    example: [{ field: 'events', reason: 'user.updated is admin-only: this webhook will not receive it while its owner is a member' }],
  })
  warnings!: FieldErrorDto[];
  @ApiProperty({ type: WebhookHealthDto }) health!: WebhookHealthDto;
  @ApiPropertyOptional({ type: () => LastDeliveryDto, nullable: true, description: 'In lists: the newest delivery log entry (null before the first).' })
  lastDelivery?: LastDeliveryDto | null;
  @ApiPropertyOptional({ type: () => EndpointHealthSummaryDto, description: 'In lists: the last 24 h of endpoint health, breaker state and last error (GET /v1/webhooks/{id}/health for 7 d too).' })
  endpointHealth?: EndpointHealthSummaryDto;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: [WebhookDto] }) data!: WebhookDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor!: string | null;
}

export class SecretDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) secret!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'null for the current secret.' }) expiresAt!: string | null;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ type: SecretDto, description: 'The signing secret; also readable later at /secrets.' }) secret!: SecretDto;
}

export class SecretsDto {
  @ApiProperty({ type: [SecretDto], description: 'Current first; a rotated-out secret keeps signing until it expires.' }) secrets!: SecretDto[];
}

export class RecoverDto {
  @ApiProperty({ format: 'date-time', description: 'Re-queue every event whose delivery failed since this time.' }) since!: string;
}

export class RecoverResultDto {
  @ApiProperty({ description: 'Events re-queued.' }) queued!: number;
  @ApiProperty({ description: `More than the limit failed: call again to re-queue the rest.` }) truncated!: boolean;
  @ApiProperty({ description: "Failed events not re-queued because the webhook's owner may no longer see them." }) skippedForPermission!: number;
  @ApiPropertyOptional({ description: 'Set when skippedForPermission > 0.' }) skippedReason?: string;
}

export class RedeliveredDto {
  @ApiProperty() jobId!: string;
  @ApiProperty() eventId!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CI deploy' }) name!: string;
  @ApiPropertyOptional({ description: 'Member the key acts as (default: the caller).' }) memberId?: string;
  @ApiPropertyOptional({ enum: API_KEY_SCOPES, isArray: true, description: 'Default: every scope.' }) scopes?: string[];
}

export class ApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty({ example: 'hwk_3q2Xb9Lk', description: 'First characters, to tell keys apart.' }) prefix!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastUsedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt!: string | null;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) data!: ApiKeyDto[];
}

export class MemberDto {
  @ApiProperty({ example: 'mem_01JN8EY4M01Q2JXEXGJAGNSW68' }) id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ['owner', 'admin', 'member'] }) role!: string;
  @ApiProperty({ type: [String] }) teamIds!: string[];
  @ApiProperty({ enum: ['active', 'deactivated', 'removed'] }) status!: string;
}

export class MemberListDto {
  @ApiProperty({ type: [MemberDto] }) data!: MemberDto[];
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'Shown once: only its hash is stored.', example: 'hwk_…' }) key!: string;
}

export class TestWebhookDto {
  @ApiProperty({ example: 'contact.created' }) eventType!: string;
}

export class TestUrlDto extends TestWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/harmony' }) url!: string;
  @ApiPropertyOptional({ description: 'Sign with this whsec_ secret instead of a throwaway one.' }) secret?: string;
}
