import { renderTemplate } from './go-template.ts';
import { onlyFields, type Manifest } from './manifests.ts';

/**
 * The ConfigMaps and Secrets of the cluster once the output is applied: the
 * output's own, and the Secrets that External Secrets Operator writes from
 * SSM for each ExternalSecret. Values are bytes, as the API holds them.
 */
export class ConfigData {
  private readonly configMaps = new Map<string, Map<string, Buffer>>();
  private readonly secrets = new Map<string, Map<string, Buffer>>();

  constructor(manifests: readonly Manifest[], ssm: ReadonlyMap<string, string>) {
    for (const m of manifests) {
      if (m.kind === 'ConfigMap') this.configMaps.set(m.metadata.name, configMapData(m));
      else if (m.kind === 'Secret') this.put(m, secretData(m));
    }
    for (const m of manifests) if (m.kind === 'ExternalSecret') this.put(m, externalSecretData(m, ssm), externalSecretTarget(m));
  }

  private put(m: Manifest, data: Map<string, Buffer>, name = m.metadata.name): void {
    if (this.secrets.has(name)) throw new Error(`${m.source}: Secret ${name} is made twice`);
    this.secrets.set(name, data);
  }

  configMap(name: string): ReadonlyMap<string, Buffer> | undefined {
    return this.configMaps.get(name);
  }

  secret(name: string): ReadonlyMap<string, Buffer> | undefined {
    return this.secrets.get(name);
  }
}

function configMapData(m: Manifest): Map<string, Buffer> {
  onlyFields(m, ['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable', 'source'], m.source);
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(m.data ?? {})) {
    if (typeof value !== 'string')
      throw new Error(`${m.source}: data.${key} is a ${typeof value}, which the API server refuses (ConfigMap values are strings; quote it)`);
    data.set(key, Buffer.from(value, 'utf8'));
  }
  for (const [key, value] of Object.entries(m.binaryData ?? {})) data.set(key, base64(value, `${m.source}: binaryData.${key}`));
  return data;
}

function secretData(m: Manifest): Map<string, Buffer> {
  onlyFields(m, ['apiVersion', 'kind', 'metadata', 'data', 'stringData', 'type', 'immutable', 'source'], m.source);
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(m.data ?? {})) data.set(key, base64(value, `${m.source}: data.${key}`));
  // stringData is merged over data by the API server.
  for (const [key, value] of Object.entries(m.stringData ?? {})) {
    if (typeof value !== 'string') throw new Error(`${m.source}: stringData.${key} is a ${typeof value}, which the API server refuses (quote it)`);
    data.set(key, Buffer.from(value, 'utf8'));
  }
  return data;
}

function base64(value: unknown, where: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) throw new Error(`${where}: not base64`);
  return Buffer.from(value, 'base64');
}

function externalSecretTarget(m: Manifest): string {
  return m.spec?.target?.name ?? m.metadata.name;
}

/**
 * What External Secrets Operator (external-secrets.io/v1, template engine
 * v2) writes into the target Secret: each `spec.data` entry's parameter
 * fetched from the store (SSM Parameter Store, decrypted), then, with a
 * template, only the rendered `template.data` keys (mergePolicy Replace, the
 * default), each rendered with every entry's value as a string.
 */
function externalSecretData(m: Manifest, ssm: ReadonlyMap<string, string>): Map<string, Buffer> {
  if (m.apiVersion !== 'external-secrets.io/v1') throw new Error(`${m.source}: the harness reads external-secrets.io/v1, not ${m.apiVersion}`);
  const spec = m.spec ?? {};
  onlyFields(spec, ['data', 'refreshInterval', 'secretStoreRef', 'target'], `${m.source}: spec`);
  onlyFields(spec.target, ['name', 'creationPolicy', 'template', 'deletionPolicy'], `${m.source}: spec.target`);
  if (spec.target?.creationPolicy && spec.target.creationPolicy !== 'Owner')
    throw new Error(`${m.source}: creationPolicy ${spec.target.creationPolicy}: the harness creates the Secret (Owner)`);
  const values = new Map<string, string>();
  for (const [index, entry] of (spec.data ?? []).entries()) {
    const where = `${m.source}: spec.data[${index}]`;
    onlyFields(entry, ['secretKey', 'remoteRef'], where);
    onlyFields(entry.remoteRef, ['key'], `${where}.remoteRef`);
    const value = ssm.get(entry.remoteRef?.key);
    if (value === undefined)
      throw new Error(`${where}: SSM has no parameter ${entry.remoteRef?.key} (External Secrets would leave the Secret unmade and the pods waiting)`);
    values.set(entry.secretKey, value);
  }
  const template = spec.target?.template;
  if (!template) return new Map([...values].map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
  onlyFields(template, ['engineVersion', 'data', 'metadata', 'type', 'mergePolicy'], `${m.source}: spec.target.template`);
  if (template.engineVersion !== 'v2')
    throw new Error(`${m.source}: template engineVersion ${template.engineVersion ?? '(v2 by default, but unnamed)'}: the harness renders v2`);
  const merge = template.mergePolicy === 'Merge';
  if (template.mergePolicy !== undefined && !merge && template.mergePolicy !== 'Replace') throw new Error(`${m.source}: mergePolicy ${template.mergePolicy}`);
  const data = new Map<string, Buffer>(merge || !template.data ? [...values].map(([k, v]) => [k, Buffer.from(v, 'utf8')]) : []);
  for (const [key, text] of Object.entries(template.data ?? {})) {
    if (typeof text !== 'string') throw new Error(`${m.source}: template.data.${key} is not a string`);
    data.set(key, Buffer.from(renderTemplate(text, values, `${m.source}: template.data.${key}`), 'utf8'));
  }
  return data;
}
