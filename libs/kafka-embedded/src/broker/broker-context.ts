import { GroupCoordinatorApi } from '../group/group-coordinator.types';
import { ByteReader } from '../protocol/byte-reader';
import { ByteWriter } from '../protocol/byte-writer';
import { RequestHeader } from '../protocol/request-header';
import { LogManager, TopicDefaults } from '../storage/log-manager';
import { ProducerIdAllocator } from '../storage/producer-id-allocator';
import { BrokerLogger } from './broker-logger';

/** What the API handlers share: the broker's identity and its state. */
export interface BrokerContext {
  readonly nodeId: number;
  readonly clusterId: string;
  /** The advertised address: exactly the host given and the port bound. */
  readonly host: string;
  readonly port: number;
  readonly logs: LogManager;
  readonly groups: GroupCoordinatorApi;
  readonly producerIds: ProducerIdAllocator;
  readonly autoCreateTopics: boolean;
  readonly defaults: TopicDefaults;
  readonly logger: BrokerLogger;
  /** Resolves when the broker starts closing (long polls give up). */
  readonly closing: Promise<void>;
}

/** One request as a handler sees it. */
export interface RequestContext {
  readonly broker: BrokerContext;
  readonly header: RequestHeader;
  readonly clientHost: string;
  /** Resolves when the client's connection is gone. */
  readonly disconnected: Promise<void>;
  isConnected(): boolean;
}

/**
 * A handler decodes its request body from `r` and returns the response body
 * (the connection adds the response header), or null for no response at all
 * (Produce with acks=0). A ProtocolError thrown here closes the connection.
 */
export interface ApiHandler {
  readonly apiKey: number;
  handle(ctx: RequestContext, r: ByteReader): ByteWriter | null | Promise<ByteWriter | null>;
}
