import type { SecretRef } from '../../schema/generated/types.ts';
import type { Model } from '../normalize/model.ts';

/** A secret reference of the model, and what it is called in messages. */
export interface ModelSecret {
  at: string;
  ref: SecretRef;
}

/**
 * Every secret reference a deployment reads at run time, in a fixed order:
 * for targets whose platform fetches secrets itself (ECS, an EC2 host), which
 * must each be an SSM parameter and which their roles may read.
 */
export function modelSecrets(model: Model): ModelSecret[] {
  const found: ModelSecret[] = [];
  const add = (at: string, ref: SecretRef | undefined) => {
    if (ref) found.push({ at, ref });
  };
  add('secrets.fernetKey', model.secrets.fernetKey);
  add('secrets.apiSecretKey', model.secrets.apiSecretKey);
  add('secrets.jwtSecret', model.secrets.jwtSecret);
  add('secrets.adminUser.password', model.secrets.adminUser?.password);
  if (model.database.kind === 'managed') add('database.managed.password', model.database.password);
  else add('database.external.password', model.database.password);
  if (model.broker?.kind === 'external') add('broker.external.url', model.broker.url);
  for (const c of model.connections) if (!('uri' in c.value)) add(`connections.${c.id}`, c.value);
  for (const e of [...model.environment, ...model.variables]) if (typeof e.value !== 'string') add(e.name, e.value);
  if (model.dags.kind === 'git') add('dags.git.sshKey', model.dags.sshKey);
  return found;
}

/** The distinct SSM parameter names among them, sorted. */
export function ssmParameterNames(secrets: readonly ModelSecret[]): string[] {
  return [...new Set(secrets.flatMap((s) => (s.ref.ssm === undefined ? [] : [s.ref.ssm])))].sort();
}
