import type { V1EnvFromSource, V1Secret } from '@kubernetes/client-node';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { SecretRef } from '../../schema/generated/types.ts';
import { isPlain, plainValue, resolvedValue, type Setting } from '../../compiler/airflow/settings.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { RenderContext } from '../../compiler/targets/target.ts';
import { digest, metadata, names, type ClusterSettings } from './cluster.ts';

/** Keys of the shared Secret that are files, not environment variables. */
export const GIT_SSH_KEY = 'gitSshKey';

/** Everything an Airflow container reads from its environment: plain settings in a ConfigMap, the rest in one Secret. */
export interface SecretWiring {
  /** The ConfigMap's data: plain settings. */
  config: Record<string, string>;
  /** envFrom of every Airflow container: the same ConfigMap and the same Secret, so every component agrees. */
  envFrom: V1EnvFromSource[];
  /** The Secret (values) or the ExternalSecret (references) that makes it. */
  document: V1Secret | IExternalSecret;
  /** Changes when what the Secret is made of changes (references, not values), to roll pods. */
  checksum: string;
}

/**
 * With External Secrets, an ExternalSecret maps each SSM parameter to a key
 * of the Secret, and templates the settings that combine several parts (a
 * database URL with its password); no value is rendered. Without it, the
 * Secret holds the resolved values and goes to its own 0600 file.
 */
export function secretWiring(model: Model, settings: ClusterSettings, all: Setting[], extraSecrets: [string, SecretRef][], ctx: RenderContext): SecretWiring {
  const n = names(model);
  const config = Object.fromEntries(all.filter(isPlain).map((s) => [s.name, plainValue(s)]));
  const secretSettings = all.filter((s) => !isPlain(s));
  const envFrom: V1EnvFromSource[] = [{ configMapRef: { name: n.config } }, { secretRef: { name: n.secret } }];
  const meta = metadata(model, settings, n.secret, 'secrets');

  if (!settings.externalSecrets.enabled) {
    const stringData: Record<string, string> = {};
    for (const s of secretSettings) stringData[s.name] = resolvedValue(s, (ref) => ctx.secrets.value(ref));
    for (const [key, ref] of extraSecrets) stringData[key] = ctx.secrets.value(ref);
    const references = [...secretSettings.map((s) => [s.name, s.parts]), ...extraSecrets];
    return { config, envFrom, document: { apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'Opaque', stringData }, checksum: digest(references) };
  }

  // One data entry per distinct parameter, named after the parameter's last segment (unique, a template identifier).
  const parameters = new Map<string, string>();
  const taken = new Set<string>();
  const refName = (ref: SecretRef) => {
    const parameter = ref.ssm!;
    if (!parameters.has(parameter)) {
      const base = parameter.slice(parameter.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9_]|$)/, 'p');
      let name = base;
      for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
      taken.add(name);
      parameters.set(parameter, name);
    }
    return parameters.get(parameter)!;
  };
  const template: Record<string, string> = {};
  for (const s of secretSettings) {
    template[s.name] = s.parts.map((p) => (typeof p === 'string' ? goLiteral(p) : `{{ .${refName(p.secret)}${p.encode === 'uri' ? ' | urlquery' : ''} }}`)).join('');
  }
  for (const [key, ref] of extraSecrets) template[key] = `{{ .${refName(ref)} }}`;
  const external: IExternalSecret = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: n.secret, namespace: settings.namespace, labels: meta.labels ?? {} },
    spec: {
      refreshInterval: settings.externalSecrets.refreshInterval,
      secretStoreRef: { kind: settings.externalSecrets.storeKind, name: settings.externalSecrets.storeName ?? '' },
      target: { name: n.secret, creationPolicy: 'Owner', template: { engineVersion: 'v2', metadata: { labels: meta.labels ?? {} }, data: template } },
      data: [...parameters].map(([key, secretKey]) => ({ secretKey, remoteRef: { key } })),
    },
  };
  return { config, envFrom, document: external, checksum: digest(external.spec) };
}

/** Text inside an External Secrets template: anything that looks like a template action is quoted. */
function goLiteral(text: string): string {
  return text.includes('{{') ? `{{ ${JSON.stringify(text)} }}` : text;
}
