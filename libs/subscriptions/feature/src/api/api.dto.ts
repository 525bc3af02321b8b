import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_SELECTION_DESCRIPTION } from '@harmony/contracts';
import { API_KEY_SCOPES } from '@harmony/subscriptions/domain';

/* Shapes for the OpenAPI document. Validation is done by the domain rules, which name the failing field. */

const EVENTS_SCHEMA = {
  oneOf: [{ type: 'string', enum: ['*'] }, { type: 'array', items: { type: 'string', example: 'contact.created' } }],
  description: EVENT_SELECTION_DESCRIPTION,
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

export class RecoverDto {
  @ApiProperty({ format: 'date-time', description: 'Re-queue every event whose delivery failed since this time.' }) since!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CI deploy' }) name!: string;
  @ApiPropertyOptional({ description: 'Member the key acts as (default: the caller).' }) memberId?: string;
  @ApiPropertyOptional({ enum: API_KEY_SCOPES, isArray: true, description: 'Default: every scope.' }) scopes?: string[];
}

export class TestWebhookDto {
  @ApiProperty({ example: 'contact.created' }) eventType!: string;
}

export class TestUrlDto extends TestWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/harmony' }) url!: string;
  @ApiPropertyOptional({ description: 'Sign with this whsec_ secret instead of a throwaway one.' }) secret?: string;
}
