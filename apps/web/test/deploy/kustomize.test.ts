/**
 * deploy/kubernetes rendered with `kubectl kustomize` (the base and the gpu overlay): every object
 * the scale-out layout needs is there and consistent (selectors, HPA targets, the Ingress backend),
 * the web app finds the inference pods by DNS through a headless Service (INFERENCE_URLS dns+…),
 * and every container has probes (/readyz, /healthz), resources, a non-root read-only root with
 * writable scratch mounts, and only environment variables the configuration schemas know.
 * Where kubectl is absent the test prints why and checks nothing (it is on the development machines).
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readWebEnv } from '~/env';
import { answers, knownEnvNames, repo } from './support';

type Probe = { httpGet?: { path: string; port: string | number } };
type Container = {
  name: string;
  image: string;
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
};
type PodSpec = {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: { name: string; emptyDir?: object }[];
  nodeSelector?: Record<string, string>;
};
type K8sObject = {
  kind: string;
  metadata: { name: string };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};

const hasKubectl = answers('kubectl', ['version', '--client']);

function render(dir: string): K8sObject[] {
  const res = spawnSync('kubectl', ['kustomize', repo(dir)], { encoding: 'utf8', timeout: 60_000 });
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  return parseAllDocuments(res.stdout).map((d) => d.toJS() as K8sObject);
}

const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind}/${name} is rendered`).toBeTruthy();
  return found!;
};

const podSpecs = (objects: K8sObject[]) =>
  objects.flatMap((o): { owner: string; pod: PodSpec; longRunning: boolean }[] =>
    o.kind === 'Deployment' || o.kind === 'Job'
      ? [{ owner: `${o.kind}/${o.metadata.name}`, pod: o.spec.template.spec, longRunning: o.kind === 'Deployment' }]
      : [],
  );

describe('deploy/kubernetes (kubectl kustomize)', () => {
  let base: K8sObject[];
  let gpu: K8sObject[];
  let known: Set<string>;
  beforeAll(async () => {
    if (!hasKubectl) {
      // Printed, and each test below returns at once: there is nothing to render without kubectl.
      console.log('kubectl kustomize: not run — kubectl is not installed on this machine.');
      return;
    }
    base = render('deploy/kubernetes/base');
    gpu = render('deploy/kubernetes/overlays/gpu');
    known = await knownEnvNames();
  });

  it('renders web and inference with Services, HPAs and PDBs, the Ingress, the migrate Job, ConfigMap and Secret', () => {
    if (!hasKubectl) return;
    const serviceOf = { web: 'bgr-web', inference: 'bgr-inference-pods' } as const;
    const names = base.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names).toEqual(
      [
        'ConfigMap/bgr-config',
        'Deployment/bgr-inference',
        'Deployment/bgr-web',
        'HorizontalPodAutoscaler/bgr-inference',
        'HorizontalPodAutoscaler/bgr-web',
        'Ingress/bgr-web',
        'Job/bgr-migrate',
        'PodDisruptionBudget/bgr-inference',
        'PodDisruptionBudget/bgr-web',
        'Secret/bgr-secrets',
        'Service/bgr-inference-pods',
        'Service/bgr-web',
      ].sort(),
    );
    for (const part of ['web', 'inference'] as const) {
      const deployment = find(base, 'Deployment', `bgr-${part}`);
      const podLabels = deployment.spec.template.metadata.labels;
      expect(Object.keys(deployment.spec.selector.matchLabels).length).toBeGreaterThan(0);
      for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels)) expect(podLabels[k]).toBe(v);
      for (const kind of ['Service', 'PodDisruptionBudget']) {
        const selector =
          kind === 'Service'
            ? find(base, kind, serviceOf[part]).spec.selector
            : find(base, kind, `bgr-${part}`).spec.selector.matchLabels;
        expect(selector).toEqual(deployment.spec.selector.matchLabels);
      }
      expect(find(base, 'HorizontalPodAutoscaler', `bgr-${part}`).spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `bgr-${part}`,
      });
      const [container] = deployment.spec.template.spec.containers as Container[];
      expect(container!.args).toEqual([`start:${part}`]);
    }
    expect((find(base, 'Job', 'bgr-migrate').spec.template.spec.containers as Container[])[0]!.args).toEqual([
      'migrate',
    ]);
    const backend = find(base, 'Ingress', 'bgr-web').spec.rules[0].http.paths[0].backend.service;
    expect(find(base, 'Service', backend.name).spec.ports.map((p: { name: string }) => p.name)).toContain(
      backend.port.name,
    );
  });

  it('points the web app at every inference pod: a headless Service, discovered by DNS (dns+)', () => {
    if (!hasKubectl) return;
    for (const objects of [base, gpu]) {
      const url = find(objects, 'ConfigMap', 'bgr-config').data!.INFERENCE_URLS!;
      expect(url).toBe('dns+http://bgr-inference-pods:3001');
      const { hostname, port } = new URL(url.replace(/^dns\+/, ''));
      const service = find(objects, 'Service', hostname);
      // Headless: the name answers each ready pod's own address, so the client sees every replica.
      expect(service.spec.clusterIP).toBe('None');
      expect(service.spec.publishNotReadyAddresses).toBe(false);
      expect(service.spec.selector).toEqual(find(objects, 'Deployment', 'bgr-inference').spec.selector.matchLabels);
      // No proxy translates ports: the URL's port is the inference container's own.
      const [container] = find(objects, 'Deployment', 'bgr-inference').spec.template.spec.containers as Container[];
      expect(container!.ports).toContainEqual({ name: 'http', containerPort: Number(port) });
      expect(service.spec.ports).toEqual([{ name: 'http', port: Number(port), targetPort: 'http' }]);
      // Nothing else is left behind one virtual IP for the web app to call.
      const others = objects.filter((o) => o.kind === 'Service' && o.metadata.name !== 'bgr-web' && o !== service);
      expect(others).toEqual([]);
    }
  });

  it('gives every container probes on /readyz and /healthz, resources, a non-root read-only root and scratch mounts', () => {
    if (!hasKubectl) return;
    for (const objects of [base, gpu]) {
      for (const { owner, pod, longRunning } of podSpecs(objects)) {
        expect(pod.securityContext?.runAsNonRoot, owner).toBe(true);
        expect(pod.securityContext?.runAsUser, owner).toBe(1000);
        const emptyDirs = new Set((pod.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
        for (const c of pod.containers) {
          const where = `${owner} container ${c.name}`;
          for (const side of ['requests', 'limits'] as const) {
            expect(c.resources?.[side]?.cpu, `${where}: ${side}.cpu`).toBeTruthy();
            expect(c.resources?.[side]?.memory, `${where}: ${side}.memory`).toBeTruthy();
          }
          expect(c.securityContext?.readOnlyRootFilesystem, where).toBe(true);
          expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
          const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
          expect(tmp && emptyDirs.has(tmp.name), `${where}: /tmp is an emptyDir`).toBe(true);
          if (!longRunning) continue;
          const port = c.ports?.[0]?.name;
          expect(c.readinessProbe?.httpGet, where).toEqual({ path: '/readyz', port });
          expect(c.livenessProbe?.httpGet, where).toEqual({ path: '/healthz', port });
        }
      }
    }
    const web = find(base, 'Deployment', 'bgr-web').spec.template.spec as PodSpec;
    expect(web.containers[0]!.volumeMounts?.map((m) => m.mountPath)).toContain('/app/apps/web/.next/cache');
  });

  it('passes containers only variables the configuration schemas know, secrets from the Secret', () => {
    if (!hasKubectl) return;
    const configMap = find(base, 'ConfigMap', 'bgr-config').data ?? {};
    const secret = find(base, 'Secret', 'bgr-secrets').stringData ?? {};
    for (const key of [...Object.keys(configMap), ...Object.keys(secret)]) {
      expect(known.has(key), `${key} (ConfigMap/Secret) is not read by any configuration schema`).toBe(true);
    }
    // The values are valid too: the web app's schema reads what a web pod is given.
    const web = readWebEnv({ ...configMap, ...secret, PORT: '3000', HOST: '0.0.0.0' });
    expect(web.inference.urls).toEqual(['dns+http://bgr-inference-pods:3001']);
    expect(web.storage.location).toMatchObject({ kind: 's3', bucket: 'bgr' });
    for (const key of ['NEXTAUTH_SECRET', 'INFERENCE_SECRET', 'DATABASE_URL', 'AWS_SECRET_ACCESS_KEY']) {
      expect(Object.keys(secret)).toContain(key);
      expect(Object.keys(configMap)).not.toContain(key);
    }
    for (const objects of [base, gpu]) {
      for (const { owner, pod } of podSpecs(objects)) {
        for (const c of pod.containers) {
          for (const { name } of c.env ?? []) {
            expect(known.has(name), `${owner} ${c.name}: ${name} is not read by any configuration schema`).toBe(true);
          }
          for (const from of c.envFrom ?? []) {
            expect(from.configMapRef?.name ?? from.secretRef?.name).toMatch(/^bgr-(config|secrets)$/);
          }
        }
      }
    }
  });

  it('the gpu overlay puts inference on a GPU node with one GPU and the GPU image; web is unchanged', () => {
    if (!hasKubectl) return;
    const inference = find(gpu, 'Deployment', 'bgr-inference').spec.template.spec as PodSpec;
    const [container] = inference.containers;
    expect(container!.image).toMatch(/^bgr-gpu(:|$)/);
    expect(container!.resources?.limits?.['nvidia.com/gpu']).toBe('1');
    expect(container!.env).toContainEqual({ name: 'INFERENCE_DEVICE', value: 'cuda' });
    expect(Object.keys(inference.nodeSelector ?? {})).toContain('nvidia.com/gpu.present');
    expect(find(gpu, 'Deployment', 'bgr-web')).toEqual(find(base, 'Deployment', 'bgr-web'));
    const baseInference = find(base, 'Deployment', 'bgr-inference').spec.template.spec as PodSpec;
    expect(baseInference.containers[0]!.resources?.limits?.['nvidia.com/gpu']).toBeUndefined();
  });
});
