import { ApiProperty } from '@nestjs/swagger';

/* OpenAPI shapes of endpoint health (the service's interfaces are the source). */

export class ResponseTimeDto {
  @ApiProperty({ nullable: true, type: Number, example: 142 }) p50!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 231 }) p95!: number | null;
}

export class HealthWindowDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the window: the start of the hour 24 h (or 7 d) ago — the rollup is hourly.' }) from!: string;
  @ApiProperty({ description: 'Requests sent, whatever the answer. A deferral (circuit open) is not an attempt.', example: 1200 }) attempts!: number;
  @ApiProperty({ example: 1188 }) succeeded!: number;
  @ApiProperty({ description: 'Attempts that failed: non-2xx, timeout, network error, refused target.', example: 12 }) failed!: number;
  @ApiProperty({ description: "Deliveries held back unsent while the endpoint's circuit was open (retried later, no attempt spent).", example: 0 })
  deferred!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'succeeded / attempts (0–1); null without attempts.', example: 0.99 }) successRate!: number | null;
  @ApiProperty({
    type: ResponseTimeDto,
    description: 'Response time of the attempts in ms (failures and timeouts included), from a histogram: within one bucket step (at most 1.33×); null without attempts.',
  })
  responseTimeMs!: ResponseTimeDto;
}

export class BreakerDto {
  @ApiProperty({
    enum: ['closed', 'open', 'half-open'],
    nullable: true,
    type: String,
    description:
      "The delivery worker's circuit breaker for this endpoint as the worker reported it with its newest attempt: `open` = new deliveries are deferred unsent; `half-open` = one trial is let through. null until a worker that reports it has attempted a delivery.",
  })
  state!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the worker reported the state (the view is this old; it changes only with the next attempt).' })
  asOf!: string | null;
}

export class LastErrorDto {
  @ApiProperty() attemptId!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ enum: ['failure', 'exhausted', 'dropped'] }) outcome!: string;
  @ApiProperty({ nullable: true, type: Number, example: 503 }) httpStatus!: number | null;
  @ApiProperty({ example: 'http_status' }) code!: string;
  @ApiProperty({ example: 'HTTP 503' }) message!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class EndpointHealthSummaryDto {
  @ApiProperty({ type: HealthWindowDto }) last24h!: HealthWindowDto;
  @ApiProperty({ type: BreakerDto }) breaker!: BreakerDto;
  @ApiProperty({ type: LastErrorDto, nullable: true, description: 'The newest failed attempt (test sends excluded); null when none is recorded.' })
  lastError!: LastErrorDto | null;
}

export class EndpointHealthDto extends EndpointHealthSummaryDto {
  @ApiProperty() webhookId!: string;
  @ApiProperty({ type: HealthWindowDto }) last7d!: HealthWindowDto;
}
