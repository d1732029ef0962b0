import { TemplateError } from './intrinsics.ts';

/**
 * CloudFormation's dynamic references, resolved as CloudFormation resolves
 * them when it creates a resource: `{{resolve:ssm:NAME[:VERSION]}}` and
 * `{{resolve:ssm-secure:NAME[:VERSION]}}` from Parameter Store (the values the
 * harness seeded into moto, each at version 1). `{{resolve:secretsmanager:…}}`
 * is refused: the harness seeds no Secrets Manager secrets.
 */
export function resolveDynamicReferences(value: unknown, ssm: ReadonlyMap<string, string>, where: string): unknown {
  if (typeof value === 'string')
    return value.includes('{{resolve:') ? value.replace(/\{\{resolve:([^}]*)\}\}/g, (_, reference: string) => resolve(reference, ssm, where)) : value;
  if (Array.isArray(value)) return value.map((v, i) => resolveDynamicReferences(v, ssm, `${where}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDynamicReferences(v, ssm, `${where}.${k}`)]));
  return value;
}

function resolve(reference: string, ssm: ReadonlyMap<string, string>, where: string): string {
  const [service, ...rest] = reference.split(':');
  if (service !== 'ssm' && service !== 'ssm-secure') {
    throw new TemplateError(`${where}: {{resolve:${service}:…}}: the runtime harness resolves ssm and ssm-secure references; it seeds nothing for ${service}`);
  }
  const [name, version, ...extra] = rest;
  if (!name || extra.length || (version !== undefined && !/^\d+$/.test(version)))
    throw new TemplateError(`${where}: {{resolve:${reference}}} is not {{resolve:${service}:NAME[:VERSION]}}`);
  const value = ssm.get(name);
  // As CloudFormation fails the resource: the parameter must exist (at that version: the harness put each value once).
  if (value === undefined) throw new TemplateError(`${where}: {{resolve:${service}:${name}}}: no such SSM parameter (ParameterNotFound)`);
  if (version !== undefined && version !== '1')
    throw new TemplateError(`${where}: {{resolve:${service}:${name}:${version}}}: the parameter has only version 1`);
  return value;
}
