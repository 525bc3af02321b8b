import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { API_ERROR, apiShapeRef } from '@harmony/contracts';
import { type Actor, type LiveChange } from '@harmony/subscriptions/domain';
import { bearerToken } from '@harmony/webhooks/domain';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiKeyGuard, CurrentActor, RequireScope } from '../api/api-key.guard';
import { TooManyRequests } from '../common/service-errors';
import { TenancyService } from '../tenancy/tenancy.service';
import { LiveChangesHub } from './live-changes.hub';

/** A comment line this often keeps proxies from closing an idle stream, and re-checks the key. */
export const LIVE_HEARTBEAT_MS = 15_000;
/** Open streams per API key and replica: a page per tab is a handful; a leaking client is refused (429), not served for ever. */
export const MAX_LIVE_STREAMS_PER_KEY = 10;
/** A client slower than this many unsent bytes is cut off; it reconnects and reads afresh. */
const MAX_BUFFERED_BYTES = 256 * 1024;

/**
 * The page's live stream: server-sent events over a plain GET that carries the
 * API key in its Authorization header like every call (decision 0117), so no key
 * or token ever sits in a URL.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ schema: apiShapeRef(API_ERROR), description: 'Missing or invalid API key.' })
@Controller('v1/live')
@UseGuards(ApiKeyGuard)
export class LiveController {
  constructor(
    private readonly hub: LiveChangesHub,
    private readonly tenancy: TenancyService,
  ) {}

  @Get()
  @RequireScope('webhooks:read')
  @ApiOperation({
    summary:
      'Server-sent events naming what changed, as it is written by any replica: `webhook` (a webhook was created, changed or deleted) and `delivery` (attempts of a webhook were logged), each `{"webhookId"}`, only for webhooks the key may see; read the change through the API. `ready` opens the stream, `resync` says changes may have been missed (read again). A comment every 15 s keeps it open; the stream ends when the key is revoked.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream (text/event-stream) until the client disconnects.' })
  @ApiTooManyRequestsResponse({ schema: apiShapeRef(API_ERROR), description: `This key already has ${MAX_LIVE_STREAMS_PER_KEY} live streams open on this replica: close one.` })
  stream(@CurrentActor() actor: Actor, @Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    const key = bearerToken(request.headers['authorization']) ?? '';
    // Counted by the key's id (never the secret itself); the guard always sets it on this route.
    const keyId = actor.apiKey?.id ?? actor.memberId;
    if (this.hub.streamsOf(keyId) >= MAX_LIVE_STREAMS_PER_KEY) {
      throw new TooManyRequests(`at most ${MAX_LIVE_STREAMS_PER_KEY} live streams may be open per API key; close one first`);
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx and similar proxies pass each event on at once instead of buffering.
      'x-accel-buffering': 'no',
    });
    const write = (text: string): void => {
      if (response.writableLength > MAX_BUFFERED_BYTES) end();
      else response.write(text);
    };
    const event = (name: string, data: object): void => write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    const watcher = {
      actor,
      keyId,
      send: (change: LiveChange) => event(change.kind, { webhookId: change.webhookId }),
      resync: () => event('resync', {}),
      close: () => end(),
    };
    const unwatch = this.hub.watch(watcher);
    // A revoked key, a removed member or a changed role applies to an open stream too.
    const heartbeat = setInterval(() => {
      this.tenancy.authenticate(key).then(
        (current) => {
          if (!current) return end();
          watcher.actor = current;
          write(': keep-alive\n\n');
        },
        () => write(': keep-alive\n\n'),
      );
    }, LIVE_HEARTBEAT_MS);
    heartbeat.unref();
    let ended = false;
    function end(): void {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unwatch();
      response.end();
    }
    request.on('close', end);
    // Reconnect after 2 s when the stream drops; the client reads everything again on `ready`.
    write('retry: 2000\n\n');
    event('ready', {});
  }
}
