import * as path from 'node:path';
import { type BeforeApplicationShutdown, Inject, Injectable, type INestMicroservice, type OnApplicationBootstrap } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type GrpcOptions, Transport } from '@nestjs/microservices';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { LOGGER, type Logger, NestPinoLogger } from '@harmony/platform-observability';
import { EndpointHealthService } from '../health/endpoint-health.service';
import { TenancyService } from '../tenancy/tenancy.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { WebhooksGrpcController } from './webhooks.grpc-controller';

/** libs/contracts/proto/webhooks.proto, found from this file in the source tree. */
export const WEBHOOKS_PROTO_PATH = path.resolve(__dirname, '../../../../contracts/proto/webhooks.proto');
export const WEBHOOKS_PROTO_PACKAGE = 'harmony.webhooks.v1';
export const PROTO_LOADER_OPTIONS = { keepCase: false, longs: String, enums: String, defaults: false, oneofs: true };

/**
 * Serves the gRPC API on GRPC_PORT beside HTTP. A microservice of its own
 * (the platform bootstrap owns the HTTP app, and the all-in-one app must get
 * it too) whose controller shares this module's service instances.
 */
@Injectable()
export class GrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private microservice: INestMicroservice | null = null;

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly tenancy: TenancyService,
    private readonly health: EndpointHealthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.subscriptions.grpcPort;
    if (port === null) return;
    const url = `${this.config.http.host}:${port}`;
    const options: GrpcOptions = {
      transport: Transport.GRPC,
      options: { package: WEBHOOKS_PROTO_PACKAGE, protoPath: WEBHOOKS_PROTO_PATH, url, loader: PROTO_LOADER_OPTIONS },
    };
    this.microservice = await NestFactory.createMicroservice(
      {
        module: class SubscriptionGrpcModule {},
        controllers: [WebhooksGrpcController],
        providers: [
          { provide: WebhooksService, useValue: this.webhooks },
          { provide: TenancyService, useValue: this.tenancy },
          { provide: EndpointHealthService, useValue: this.health },
        ],
      },
      { ...options, logger: new NestPinoLogger(this.logger.child({ component: 'grpc' })) },
    );
    await this.microservice.listen();
    this.logger.info({ url }, `gRPC API listening on ${url}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.microservice?.close();
  }
}
