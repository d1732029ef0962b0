import type { AirflowSecret } from '../../compiler/airflow/components.ts';
import type { Setting } from '../../compiler/airflow/settings.ts';
import type { ComponentSecrets, WiredSecret } from '../../compiler/secrets/by-component.ts';
import { modelSecrets } from '../../compiler/secrets/model-secrets.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { parameterArn, type Resources } from './cfn.ts';
import { secretVariable } from './containers.ts';
import { ADMIN_PASSWORD_VARIABLE } from './services.ts';

interface ContainerDefinition {
  Name: string;
  Environment?: { Name: string }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
}

/**
 * What each container of the stack gets of the secrets, read back from its
 * task definitions (`<component>/<container>`): each `Secrets` entry by its
 * SSM parameter, and each scoped setting given as a plain `Environment`
 * value. A `_CMD` setting is listed by the secret variables it is made of.
 */
export function ecsWiredSecrets(model: Model, resources: Resources, settings: readonly Setting[]): ComponentSecrets[] {
  const what = new Map<string, AirflowSecret>([[ADMIN_PASSWORD_VARIABLE, 'adminPassword']]);
  for (const s of settings) {
    if (!s.scope) continue;
    what.set(s.name, s.scope);
    for (const p of s.parts) if (typeof p !== 'string') what.set(secretVariable(p.secret), s.scope);
  }
  const parameterOf = new Map(modelSecrets(model).map((s) => [JSON.stringify(parameterArn(s.ref)), s.ref.ssm ?? '']));
  const rows: ComponentSecrets[] = [];
  for (const resource of Object.values(resources) as { Type?: string; Properties?: { Family?: string; ContainerDefinitions?: ContainerDefinition[] } }[]) {
    if (resource.Type !== 'AWS::ECS::TaskDefinition') continue;
    const component = (resource.Properties?.Family ?? '').slice(model.name.length + 1);
    for (const container of resource.Properties?.ContainerDefinitions ?? []) {
      const secrets: WiredSecret[] = [
        ...(container.Secrets ?? []).flatMap((s) => {
          const kind = what.get(s.Name);
          return kind ? [{ name: s.Name, what: kind, from: `SSM ${parameterOf.get(JSON.stringify(s.ValueFrom)) ?? '?'}` }] : [];
        }),
        ...(container.Environment ?? []).flatMap((e) => {
          const kind = what.get(e.Name);
          return kind ? [{ name: e.Name, what: kind, from: 'task definition (plain)' }] : [];
        }),
      ];
      if (secrets.length) rows.push({ component: `${component}/${container.Name}`, secrets });
    }
  }
  return rows;
}
