import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { ServiceError, ValidationFailed } from '../common/service-errors';

const STATUS: Record<ServiceError['kind'], number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
};

/** Use-case errors as HTTP: 400 `{ errors: [{ field, reason }] }`, others `{ error, message }`. */
@Catch(ServiceError)
export class ServiceErrorFilter implements ExceptionFilter {
  catch(error: ServiceError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const status = STATUS[error.kind];
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(status).json(error instanceof ValidationFailed ? { errors: error.errors } : { error: error.kind, message: error.message });
  }
}

interface HttpResponse {
  status(code: number): { json(body: unknown): void };
  setHeader(name: string, value: string): void;
}
