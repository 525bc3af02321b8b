import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DEPLOY } from './support/metric-names';

const K8S = path.join(DEPLOY, 'k8s');
const SERVICES = ['subscription-service', 'event-ingest', 'fan-out', 'delivery-worker', 'retry-scheduler'];

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Probe {
  httpGet?: { path: string; port: string | number };
}

interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
}

interface Deployment extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: Container[]; terminationGracePeriodSeconds?: number; securityContext?: { runAsNonRoot?: boolean } };
    };
  };
}

/** The manifests kustomization.yaml applies, in order. */
function loadManifests(): { resources: string[]; manifests: Manifest[] } {
  const kustomization = parseAllDocuments(readFileSync(path.join(K8S, 'kustomization.yaml'), 'utf8'))[0].toJS() as { resources: string[] };
  const manifests = kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(K8S, file), 'utf8')).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0].message}`);
      return document.toJS() as Manifest;
    }),
  );
  return { resources: kustomization.resources, manifests };
}

/** kubernetes-models' class for an apiVersion and kind: `apps/v1` + `Deployment` → kubernetes-models/apps/v1/Deployment. */
function modelFor(manifest: Manifest): new (data: Manifest) => { validate(): void } {
  const modulePath = `kubernetes-models/${manifest.apiVersion}/${manifest.kind}`;
  return (require(modulePath) as Record<string, new (data: Manifest) => { validate(): void }>)[manifest.kind];
}

const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('deploy/k8s', () => {
  const { resources, manifests } = loadManifests();
  const deployments = manifests.filter((manifest): manifest is Deployment => manifest.kind === 'Deployment');
  const config = manifests.find((manifest) => manifest.kind === 'ConfigMap') as Manifest & { data: Record<string, string> };

  it('kustomization.yaml applies every manifest file in the folder', () => {
    const files = readdirSync(K8S).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...resources].sort()).toEqual(files.sort());
  });

  it.each(manifests.map((manifest) => [`${manifest.kind}/${manifest.metadata.name}`, manifest] as const))(
    '%s validates against the Kubernetes schema',
    (_name, manifest) => {
      const Model = modelFor(manifest);
      expect(Model).toBeDefined();
      expect(() => new Model(manifest).validate()).not.toThrow();
    },
  );

  it('the schema check catches a broken manifest', () => {
    const broken = structuredClone(deployments[0]);
    (broken.spec.template.spec.containers[0] as unknown as { resources: unknown }).resources = { limits: { cpu: ['1'] } };
    expect(() => new (modelFor(broken))(broken).validate()).toThrow(/cpu/);
  });

  it('has a Deployment and a Service for each of the five services', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([...SERVICES].sort());
    for (const deployment of deployments) {
      const services = manifests.filter(
        (manifest) =>
          manifest.kind === 'Service' &&
          matches((manifest['spec'] as { selector: Record<string, string> }).selector, deployment.spec.template.metadata.labels),
      );
      expect(services.map((service) => service.metadata.name)).toContain(deployment.metadata.name);
    }
  });

  describe.each(SERVICES)('Deployment %s', (name) => {
    const deployment = deployments.find((candidate) => candidate.metadata.name === name) as Deployment;
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;

    it('selects its own pods', () => {
      expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    });

    it('probes liveness on /health and readiness on /ready, on a declared port', () => {
      expect(container.livenessProbe?.httpGet?.path).toBe('/health');
      expect(container.readinessProbe?.httpGet?.path).toBe('/ready');
      expect(container.startupProbe?.httpGet?.path).toBe('/health');
      const ports = (container.ports ?? []).map((port) => port.name);
      for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) expect(ports).toContain(probe?.httpGet?.port);
    });

    it('requests and limits CPU and memory', () => {
      for (const kind of ['requests', 'limits'] as const) {
        expect(container.resources?.[kind]?.['cpu']).toBeTruthy();
        expect(container.resources?.[kind]?.['memory']).toBeTruthy();
      }
    });

    it('has a PodDisruptionBudget selecting its pods', () => {
      const budgets = manifests.filter(
        (manifest) =>
          manifest.kind === 'PodDisruptionBudget' &&
          matches((manifest['spec'] as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels, deployment.spec.template.metadata.labels),
      );
      expect(budgets).toHaveLength(1);
    });

    it('gives SIGTERM longer than SHUTDOWN_GRACE_MS (plus the preStop pause) before SIGKILL', () => {
      const preStopSeconds = Number(container.lifecycle?.preStop?.exec?.command.at(-1) ?? 0);
      const graceMs = Number(config.data['SHUTDOWN_GRACE_MS']);
      expect(graceMs).toBeGreaterThan(0);
      expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(graceMs + preStopSeconds * 1000);
    });

    it('runs as non-root, read-only, without privileges, with its config from the ConfigMap and Secret', () => {
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      const sources = (container.envFrom ?? []).map((source) => source.configMapRef?.name ?? source.secretRef?.name);
      const defined = manifests.filter((manifest) => manifest.kind === 'ConfigMap' || manifest.kind === 'Secret').map((manifest) => manifest.metadata.name);
      expect(sources.length).toBe(2);
      for (const source of sources) expect(defined).toContain(source);
      expect(container.image).toMatch(new RegExp(`^harmony-webhooks/${name}:`));
    });
  });

  it('autoscales delivery-worker and fan-out, never past the partition count', () => {
    const autoscalers = manifests.filter((manifest) => manifest.kind === 'HorizontalPodAutoscaler') as (Manifest & {
      spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
    })[];
    expect(autoscalers.map((hpa) => hpa.spec.scaleTargetRef.name).sort()).toEqual(['delivery-worker', 'fan-out']);
    const partitions = Number(config.data['KAFKA_TOPIC_PARTITIONS']);
    for (const hpa of autoscalers) {
      expect(hpa.spec.scaleTargetRef.kind).toBe('Deployment');
      expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(partitions);
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    }
  });

  it('configures production: real Kafka and PostgreSQL, replication 3', () => {
    const secret = manifests.find((manifest) => manifest.kind === 'Secret') as Manifest & { stringData: Record<string, string> };
    expect(config.data).toMatchObject({ NODE_ENV: 'production', KAFKA_REPLICATION_FACTOR: '3' });
    expect(config.data['KAFKA_BROKERS']).toMatch(/:\d+$/);
    expect(secret.stringData['DATABASE_URL']).toMatch(/^postgres:\/\//);
  });
});
