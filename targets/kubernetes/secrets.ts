import { literal } from './expansion.ts';
import type { V1EnvFromSource, V1EnvVar, V1Secret } from '@kubernetes/client-node';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { SecretRef } from '../../schema/generated/types.ts';
import type { SecretConsumer } from '../../compiler/airflow/components.ts';
import { isPlain, plainValue, resolvedValue, settingsFor, type Setting } from '../../compiler/airflow/settings.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { RenderContext } from '../../compiler/targets/target.ts';
import { digest, metadata, names, type ClusterSettings } from './cluster.ts';

/**
 * A secret that one container reads by key (a mounted file, one variable),
 * kept out of the Secret that envFrom loads: Kubernetes turns any key that
 * matches [-._a-zA-Z][-._a-zA-Z0-9]* into a variable of every container that
 * loads the Secret, task pods included.
 */
export interface Credential {
  key: string;
  ref: SecretRef;
  /** Written as a text file ending with one newline: OpenSSH does not load a key without it. */
  file?: boolean;
}

/**
 * Everything an Airflow container reads from its environment: the settings
 * every process shares in a ConfigMap that each one loads whole, and the
 * scoped ones (a secret, a connection) one variable at a time, from the one
 * Secret, only in the containers whose catalogue entry lists them.
 */
export interface SecretWiring {
  /** The ConfigMap's data: plain settings that are not scoped. */
  config: Record<string, string>;
  /** envFrom of every Airflow container: the same ConfigMap, so every component agrees. */
  envFrom: V1EnvFromSource[];
  /** The scoped variables of a process (`extra`: settings of this container beyond the shared ones), sorted by name. */
  env: (consumer: SecretConsumer, extra?: readonly Setting[]) => V1EnvVar[];
  /** The Secrets (values) or the ExternalSecrets (references) that make the settings Secret and the credentials Secret. */
  documents: (V1Secret | IExternalSecret)[];
  /** Changes when what the Secrets are made of changes (references, not values), to roll pods. */
  checksum: string;
}

/**
 * With External Secrets, an ExternalSecret maps each SSM parameter to a key
 * of the Secret, and templates the settings that combine several parts (a
 * database URL with its password); no value is rendered. Without it, the
 * Secrets hold the resolved values and go to their own 0600 file.
 */
export function secretWiring(
  model: Model,
  settings: ClusterSettings,
  all: Setting[],
  credentials: Credential[],
  ctx: RenderContext,
  /** Settings in the Secret that only the containers that name them get (SecretWiring.env's `extra`). */
  own: Setting[] = [],
): SecretWiring {
  const n = names(model);
  const shared = (s: Setting) => isPlain(s) && !s.scope;
  const config = Object.fromEntries(all.filter(shared).map((s) => [s.name, plainValue(s)]));
  const secretSettings = [...all, ...own].filter((s) => !isPlain(s)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const envFrom: V1EnvFromSource[] = [{ configMapRef: { name: n.config } }];
  // A plain value in `value` is expanded by the kubelet ($(VAR)).
  const variable = (s: Setting): V1EnvVar =>
    isPlain(s) ? { name: s.name, value: literal(plainValue(s)) } : { name: s.name, valueFrom: { secretKeyRef: { name: n.secret, key: s.name } } };
  const env = (consumer: SecretConsumer, extra: readonly Setting[] = []) =>
    [...settingsFor(consumer, all), ...extra]
      .filter((s) => !shared(s))
      .map(variable)
      .sort((a, b) => (a.name < b.name ? -1 : 1));

  if (!settings.externalSecrets.enabled) {
    const value = (ref: SecretRef) => ctx.secrets.value(ref);
    const secret = (name: string, stringData: Record<string, string>): V1Secret => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: metadata(model, settings, name, 'secrets'),
      type: 'Opaque',
      stringData,
    });
    const documents = [secret(n.secret, Object.fromEntries(secretSettings.map((s) => [s.name, resolvedValue(s, value)])))];
    if (credentials.length)
      documents.push(secret(n.credentials, Object.fromEntries(credentials.map((c) => [c.key, c.file ? `${value(c.ref).trimEnd()}\n` : value(c.ref)]))));
    const references = [...secretSettings.map((s) => [s.name, s.parts]), ...credentials.map((c) => [c.key, c.ref])];
    return { config, envFrom, env, documents, checksum: digest(references) };
  }

  const documents = [
    externalSecret(model, settings, n.secret, (param) =>
      // urlquery is Go's url.QueryEscape: it writes a space as "+", which SQLAlchemy leaves as "+" in a password.
      // It writes a literal "+" as %2B, so every "+" left is a space: %20 gives uriComponent's bytes.
      Object.fromEntries(
        secretSettings.map((s) => [
          s.name,
          s.parts
            .map((p) => (typeof p === 'string' ? goLiteral(p) : `{{ .${param(p.secret)}${p.encode === 'uri' ? ' | urlquery | replace "+" "%20"' : ''} }}`))
            .join(''),
        ]),
      ),
    ),
  ];
  if (credentials.length) {
    // `trim` then one newline: the value of the values path (trailing whitespace trimmed, one newline).
    documents.push(
      externalSecret(model, settings, n.credentials, (param) =>
        Object.fromEntries(credentials.map((c) => [c.key, c.file ? `{{ .${param(c.ref)} | trim }}\n` : `{{ .${param(c.ref)} }}`])),
      ),
    );
  }
  return { config, envFrom, env, documents, checksum: digest(documents.map((d) => d.spec)) };
}

/**
 * An ExternalSecret whose template is `data(param)`, where `param(ref)` names
 * the data entry of an SSM parameter: one entry per distinct parameter, named
 * after its last segment (unique, a template identifier).
 */
function externalSecret(
  model: Model,
  settings: ClusterSettings,
  name: string,
  data: (param: (ref: SecretRef) => string) => Record<string, string>,
): IExternalSecret {
  const parameters = new Map<string, string>();
  const taken = new Set<string>();
  const param = (ref: SecretRef) => {
    const parameter = ref.ssm!;
    if (!parameters.has(parameter)) {
      const base = parameter
        .slice(parameter.lastIndexOf('/') + 1)
        .replace(/[^A-Za-z0-9_]/g, '_')
        .replace(/^(?=[0-9_]|$)/, 'p');
      let entry = base;
      for (let i = 2; taken.has(entry); i++) entry = `${base}_${i}`;
      taken.add(entry);
      parameters.set(parameter, entry);
    }
    return parameters.get(parameter)!;
  };
  const template = data(param);
  const labels = metadata(model, settings, name, 'secrets').labels ?? {};
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace: settings.namespace, labels },
    spec: {
      refreshInterval: settings.externalSecrets.refreshInterval,
      secretStoreRef: { kind: settings.externalSecrets.storeKind, name: settings.externalSecrets.storeName ?? '' },
      target: { name, creationPolicy: 'Owner', template: { engineVersion: 'v2', metadata: { labels }, data: template } },
      data: [...parameters].map(([key, secretKey]) => ({ secretKey, remoteRef: { key } })),
    },
  };
}

/** Text inside an External Secrets template: anything that looks like a template action is quoted. */
function goLiteral(text: string): string {
  return text.includes('{{') ? `{{ ${JSON.stringify(text)} }}` : text;
}
