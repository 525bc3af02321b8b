import { type ArgumentsHost, BadRequestException, Catch, type ExceptionFilter } from '@nestjs/common';

/** This service's routes (the all-in-one app also serves others, with their own error shapes). */
const OWN_ROUTES = /^\/v1\/(webhooks|api-keys|members|event-types)(\/|\?|$)/;

/**
 * A body that is not JSON fails in the body parser, before any route: Nest
 * answers it as a BadRequestException. On this service's routes it gets the
 * same shape as every other input error, naming the body.
 */
@Catch(BadRequestException)
export class MalformedBodyFilter implements ExceptionFilter {
  catch(exception: BadRequestException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ url: string }>();
    const response = http.getResponse<{ status(code: number): { json(body: unknown): void } }>();
    if (!OWN_ROUTES.test(request.url)) {
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    response.status(400).json({ errors: [{ field: 'body', reason: `invalid JSON: ${exception.message}` }] });
  }
}
