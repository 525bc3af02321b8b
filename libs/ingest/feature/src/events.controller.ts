import {
  Body,
  type CanActivate,
  Controller,
  createParamDecorator,
  type ExecutionContext,
  HttpCode,
  HttpException,
  Inject,
  Injectable,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ApiKeyRecord, type EventEnvelope, validateUpstreamEvent, type ValidationError } from '@harmony/contracts';
import { bearerToken } from '@harmony/webhooks/domain';
import { ApiKeyDirectory } from './api-key-directory';
import { EventIngestService } from './event-ingest.service';

interface PublisherRequest {
  headers: Record<string, string | undefined>;
  publisher?: ApiKeyRecord;
}

/** `events:publish` key check, as a guard: it runs before the body is read (401/403 before 413/415/400). */
@Injectable()
export class PublishKeyGuard implements CanActivate {
  constructor(@Inject(ApiKeyDirectory) private readonly keys: ApiKeyDirectory) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<PublisherRequest>();
    const auth = this.keys.check(bearerToken(request.headers['authorization']), 'events:publish');
    if (!auth.ok) throw new HttpException({ error: auth.status === 401 ? 'unauthenticated' : 'forbidden', message: auth.message }, auth.status);
    request.publisher = auth.record;
    return true;
  }
}

const Publisher = createParamDecorator((_data: unknown, context: ExecutionContext): ApiKeyRecord => {
  const publisher = context.switchToHttp().getRequest<PublisherRequest>().publisher;
  if (!publisher) throw new HttpException({ error: 'unauthenticated', message: 'missing API key' }, 401);
  return publisher;
});

/** Events per request; a bigger batch is split by the caller. */
export const MAX_EVENTS_PER_REQUEST = 100;

interface PublishResult {
  accepted: string[];
  duplicates: string[];
}

/**
 * `POST /v1/events`: one event or an array of them, from a caller holding an
 * API key with `events:publish`. All or nothing: every event is validated
 * first, and any error answers 400 with its path (`/0/data/email`) and
 * reason, forwarding none.
 */
@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
@UseGuards(PublishKeyGuard)
export class EventsController {
  constructor(@Inject(EventIngestService) private readonly ingest: EventIngestService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Publish events (one, or an array of up to 100) into the webhook pipeline.' })
  @ApiBody({ schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' }, maxItems: MAX_EVENTS_PER_REQUEST }] } })
  async publish(@Publisher() publisher: ApiKeyRecord, @Body() body: unknown): Promise<PublishResult> {
    const batch = Array.isArray(body);
    const events: unknown[] = batch ? body : [body];
    if (events.length === 0 || events.length > MAX_EVENTS_PER_REQUEST) {
      throw invalid([{ path: '', reason: `must hold 1 to ${MAX_EVENTS_PER_REQUEST} events` }]);
    }
    const errors: ValidationError[] = [];
    const envelopes: EventEnvelope[] = [];
    events.forEach((event, index) => {
      const prefix = batch ? `/${index}` : '';
      const result = validateUpstreamEvent(event);
      if (!result.ok) errors.push(...result.errors.map((error) => ({ path: `${prefix}${error.path}`, reason: error.reason })));
      else if (result.value.workspaceId !== publisher.workspaceId) {
        errors.push({ path: `${prefix}/workspaceId`, reason: "must be the API key's workspace" });
      } else envelopes.push(result.value);
    });
    if (errors.length > 0) throw invalid(errors);

    const result: PublishResult = { accepted: [], duplicates: [] };
    for (const envelope of envelopes) {
      const outcome = await this.ingest.accept(envelope, 'http');
      if (outcome.outcome === 'accepted') result.accepted.push(outcome.eventId);
      else if (outcome.outcome === 'duplicate') result.duplicates.push(outcome.eventId);
    }
    return result;
  }
}

function invalid(errors: ValidationError[]): HttpException {
  return new HttpException({ errors: errors.map((error) => ({ field: error.path, reason: error.reason })) }, 400);
}
