import type { DescService } from '@bufbuild/protobuf';
import type { RpcRegistry } from './in-process.ts';
import { createRpcClient, type RpcClient, type RpcClientOptions, type RpcTarget } from './rpc-client.ts';
import type { RpcClientConfig } from './rpc-config.ts';

/** Options of {@link createRpcConnector}: the host's choice of transports and resilience settings. */
export interface RpcConnectorOptions extends Omit<RpcClientOptions, 'dependency' | 'target' | 'deadlineMs'> {
  /** The services of this process (embedded mode): dependencies without a URL are called here. */
  readonly registry?: RpcRegistry;
  /** gRPC base URLs by dependency (`catalog`); they win over the registry. */
  readonly urls?: Readonly<Partial<Record<string, readonly string[]>>>;
  /** Default deadline by dependency; 2 000 ms for any not listed. */
  readonly deadlinesMs?: Readonly<Partial<Record<string, number>>>;
}

/**
 * How a service reaches the others: hosts build one per process and hand it to the modules
 * (`ServiceDependencies.rpc`), so that a module never knows whether its dependencies run in the
 * same process (embedded) or behind gRPC (distributed).
 */
export interface RpcConnector {
  /** The client of `service`, one per service and process (so one circuit breaker per dependency). */
  client<S extends DescService>(service: S): RpcClient<S>;
  /** Ends every client's HTTP/2 sessions (on shutdown). */
  close(): void;
}

/** The dependency a service belongs to, from its package: `only.catalog.v1.CatalogService` → `catalog`. */
export function dependencyOf(service: DescService): string {
  return service.typeName.split('.')[1] ?? service.typeName;
}

/** A connector calling each dependency at its URL when it has one, else in this process. */
export function createRpcConnector(options: RpcConnectorOptions): RpcConnector {
  const { registry, urls, deadlinesMs, ...shared } = options;
  const clients = new Map<string, { close: () => void }>();
  return {
    client<S extends DescService>(service: S): RpcClient<S> {
      const known = clients.get(service.typeName);
      if (known !== undefined) return known as RpcClient<S>;
      const dependency = dependencyOf(service);
      const serviceUrls = urls?.[dependency] ?? [];
      let target: RpcTarget;
      if (serviceUrls.length > 0) target = { kind: 'grpc', urls: serviceUrls };
      else if (registry !== undefined) target = { kind: 'in-process', registry };
      else
        throw new Error(
          `${dependency.toUpperCase()}_RPC_URL is not set and ${service.typeName} is not served in this process`,
        );
      const client = createRpcClient(service, {
        ...shared,
        dependency,
        target,
        deadlineMs: deadlinesMs?.[dependency] ?? 2_000,
      });
      clients.set(service.typeName, client);
      return client;
    },
    close() {
      for (const client of clients.values()) client.close();
    },
  };
}

function split(urls: string | undefined): string[] {
  return urls === undefined ? [] : urls.split(',').filter((url) => url !== '');
}

/** A connector's options from the `rpcClientConfigSchema` variables a process has (any may be absent). */
export function rpcConnectorOptionsFrom(
  config: Partial<RpcClientConfig>,
): Pick<
  RpcConnectorOptions,
  'urls' | 'deadlinesMs' | 'maxRetries' | 'breakerFailures' | 'breakerHalfOpenAfterMs'
> {
  return {
    urls: {
      catalog: split(config.CATALOG_RPC_URL),
      payments: split(config.PAYMENTS_RPC_URL),
      orders: split(config.ORDERS_RPC_URL),
    },
    deadlinesMs: {
      catalog: config.CATALOG_RPC_DEADLINE_MS ?? 2_000,
      payments: config.PAYMENTS_RPC_DEADLINE_MS ?? 5_000,
      orders: config.ORDERS_RPC_DEADLINE_MS ?? 2_000,
    },
    ...(config.RPC_MAX_RETRIES === undefined ? {} : { maxRetries: config.RPC_MAX_RETRIES }),
    ...(config.RPC_BREAKER_FAILURES === undefined ? {} : { breakerFailures: config.RPC_BREAKER_FAILURES }),
    ...(config.RPC_BREAKER_HALF_OPEN_MS === undefined
      ? {}
      : { breakerHalfOpenAfterMs: config.RPC_BREAKER_HALF_OPEN_MS }),
  };
}
