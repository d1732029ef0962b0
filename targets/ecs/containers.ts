import { Ref, sub } from '../../compiler/emit/intrinsic.ts';
import { isPlain, plainValue, type Setting } from '../../compiler/airflow/settings.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { SecretRef } from '../../schema/generated/types.ts';
import { parameterArn, text } from './cfn.ts';

export interface EnvironmentEntries {
  Environment: { Name: string; Value: unknown }[];
  Secrets: { Name: string; ValueFrom: unknown }[];
}

/**
 * Airflow's settings as a container's Environment and Secrets: plain values
 * in the open, each secret as `ValueFrom` its SSM parameter. A value made of
 * text and a secret (a database URL with its password) becomes Airflow's own
 * `<OPTION>_CMD`: the password arrives as a secret variable and is URL-encoded
 * in the container, so no value is ever in the template. The command prints
 * no line break: Airflow takes its output as it is.
 */
export function containerEnvironment(settings: readonly Setting[]): EnvironmentEntries {
  const Environment: EnvironmentEntries['Environment'] = [];
  const secrets = new Map<string, unknown>();
  for (const setting of settings) {
    if (isPlain(setting)) {
      Environment.push({ Name: setting.name, Value: text(plainValue(setting)) });
    } else if (setting.parts.length === 1 && typeof setting.parts[0] !== 'string' && setting.parts[0]!.encode === undefined) {
      secrets.set(setting.name, parameterArn(setting.parts[0]!.secret));
    } else {
      const expression = setting.parts
        .map((p) =>
          typeof p === 'string'
            ? pythonString(p)
            : p.encode === 'uri'
              ? `q(os.environ['${secretVariable(p.secret)}'], safe='')`
              : `os.environ['${secretVariable(p.secret)}']`,
        )
        .join(' + ');
      for (const p of setting.parts) if (typeof p !== 'string') secrets.set(secretVariable(p.secret), parameterArn(p.secret));
      Environment.push({
        Name: `${setting.name}_CMD`,
        Value: text(`python3 -c "import os; from urllib.parse import quote as q; print(${expression}, end='')"`),
      });
    }
  }
  return {
    Environment: Environment.sort((a, b) => (a.Name < b.Name ? -1 : 1)),
    Secrets: [...secrets].map(([Name, ValueFrom]) => ({ Name, ValueFrom })).sort((a, b) => (a.Name < b.Name ? -1 : 1)),
  };
}

/** The variable that carries a secret part of a `_CMD` setting into the container. */
export function secretVariable(ref: SecretRef): string {
  return `AFC_SECRET_${ref
    .ssm!.slice(ref.ssm!.lastIndexOf('/') + 1)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '_')}`;
}

/** A Python string literal inside a double-quoted shell word: single quotes, no `"` or `\`. */
function pythonString(text: string): string {
  if (/["\\]/.test(text)) throw new Error(`cannot put ${JSON.stringify(text)} into a _CMD setting`);
  return `'${text.replace(/'/g, "\\'")}'`;
}

/** The Airflow image at the tag the stack's ImageTag parameter names. */
export function airflowImage(model: Model): unknown {
  return sub`${model.airflow.image.repository}:\${ImageTag}`;
}

export function logConfiguration(logGroup: string, prefix: string) {
  return { LogDriver: 'awslogs', Options: { 'awslogs-group': Ref(logGroup), 'awslogs-region': Ref('AWS::Region'), 'awslogs-stream-prefix': prefix } };
}

/** The official compose files' health check timing, with a longer grace for Airflow's start-up; ECS takes a timeout of 2 to 60 s, under the 30 s interval here. */
export function healthCheck(command: string, timeout = 10) {
  return { Command: ['CMD-SHELL', command], Interval: 30, Timeout: timeout, Retries: 5, StartPeriod: 120 };
}
