import { type CallHandler, type ExecutionContext, HttpException, Injectable, type NestInterceptor } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Observable } from 'rxjs';

/** The largest request body any endpoint reads: 100 KiB. */
export const REQUEST_BODY_LIMIT_BYTES = 100 * 1024;

/** What every JSON endpoint answers about its body, in the API's one input-error shape. */
export const REQUEST_BODY_RULES =
  `Request bodies are JSON (Content-Type: application/json) of at most ${REQUEST_BODY_LIMIT_BYTES} bytes (100 KiB): ` +
  'a larger body is 413, another media type 415, malformed JSON 400, each as { errors: [{ field: "body", reason }] }, ' +
  'and only after the API key was accepted (401/403 come first).';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

type BodyRequest = IncomingMessage & { body?: unknown };

/**
 * Reads and parses request bodies after the guards (Nest's own body parser is off):
 * an unauthenticated caller is answered 401 before a byte of its body is read.
 * Then, in this order: size (413, the limit stated), media type (415), JSON (400),
 * each `{ errors: [{ field: 'body', reason }] }`. Any JSON value is accepted here;
 * each route says which shape it wants.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<BodyRequest>();
    if (BODY_METHODS.has(request.method ?? '') && request.body === undefined) request.body = await readJsonBody(request);
    return next.handle();
  }
}

async function readJsonBody(request: BodyRequest): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > REQUEST_BODY_LIMIT_BYTES) tooLarge(request);
  const raw = await readLimited(request);
  if (raw.length === 0) return undefined;
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw bodyError(415, `Content-Type must be application/json${mediaType ? ` (got ${mediaType.slice(0, 100)})` : ''}`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw bodyError(400, `is not valid JSON: ${(error as Error).message}`);
  }
}

function readLimited(request: BodyRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= REQUEST_BODY_LIMIT_BYTES) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData).off('end', onEnd);
      try {
        tooLarge(request);
      } catch (error) {
        reject(error);
      }
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks));
    request.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

function tooLarge(request: BodyRequest): never {
  // Answer now and discard the rest of the upload (read, not kept), so the client sees the answer, not a reset.
  request.resume();
  throw bodyError(413, `must be at most ${REQUEST_BODY_LIMIT_BYTES} bytes (100 KiB)`);
}

function bodyError(status: number, reason: string): HttpException {
  return new HttpException({ errors: [{ field: 'body', reason }] }, status);
}
