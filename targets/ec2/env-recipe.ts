import { IMAGE_USER } from '../../compiler/airflow/image.ts';
import type { SecretRef } from '../../schema/generated/types.ts';
import type { ComposeBundle } from '../compose/bundle.ts';

type Part = string | { ssm: string; encode?: 'uri' };

/**
 * How the host writes the bundle's env files (`.env`, and each service's
 * `secrets/<service>.env`) and secret files from SSM at boot:
 * the same entries the compose target resolves at build time, with every
 * secret named by its parameter and never by its value. fetch-secrets.sh
 * reads it; render-env.jq quotes the values as the compose target does.
 */
export interface EnvRecipe {
  envFiles: { path: string; env: { name: string; parts: Part[] }[] }[];
  files: { path: string; ssm: string; owner: string }[];
}

/** The container user of the bundle's services (AIRFLOW_UID is not set on the host: the image's user), which must read the git key. */
const AIRFLOW_OWNER = IMAGE_USER;

export function envRecipe(bundle: Pick<ComposeBundle, 'envFiles' | 'files'>): EnvRecipe {
  const ssm = (ref: SecretRef) => {
    // The target's check makes every secret an SSM reference before rendering.
    if (ref.ssm === undefined) throw new Error('ec2: a secret that is not an SSM reference reached rendering');
    return ref.ssm;
  };
  return {
    envFiles: bundle.envFiles.map((file) => ({
      path: file.path,
      env: file.entries.map((entry) => ({
        name: entry.name,
        parts:
          'text' in entry
            ? [entry.text]
            : 'secret' in entry
              ? [{ ssm: ssm(entry.secret) }]
              : entry.setting.parts.map((p) => (typeof p === 'string' ? p : { ssm: ssm(p.secret), ...(p.encode ? { encode: p.encode } : {}) })),
      })),
    })),
    files: bundle.files.flatMap((file) => ('secret' in file ? [{ path: file.path, ssm: ssm(file.secret), owner: AIRFLOW_OWNER }] : [])),
  };
}

/** JSON with an entry a line, so that a changed variable is a one-line diff in the user data. */
export function recipeJson(recipe: EnvRecipe): string {
  const list = (items: readonly string[], indent: string) => (items.length ? `[\n${indent}  ${items.join(`,\n${indent}  `)}\n${indent}]` : '[]');
  const envFiles = recipe.envFiles.map(
    (f) =>
      `{\n      "path": ${JSON.stringify(f.path)},\n      "env": ${list(
        f.env.map((e) => JSON.stringify(e)),
        '      ',
      )}\n    }`,
  );
  return `{\n  "envFiles": ${list(envFiles, '  ')},\n  "files": ${list(
    recipe.files.map((f) => JSON.stringify(f)),
    '  ',
  )}\n}\n`;
}
