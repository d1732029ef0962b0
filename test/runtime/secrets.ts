import { randomBytes } from 'node:crypto';
import type { SecretUse } from '../../compiler/secrets/collect.ts';

/**
 * Values for the spec's `ssm` and `env` secret references, of the form each
 * use needs (a Fernet key for `secrets.fernetKey`, a URI for a connection, a
 * Redis URL for an external broker), so that any valid spec can run. Free
 * text carries characters that shells, YAML, URLs, .env files and templates
 * treat specially: a value must arrive exactly as stored.
 */
export function generateSecretValues(uses: readonly SecretUse[]): {
  ssm: Map<string, string>;
  env: Map<string, string>;
  broker?: { host: string; password: string };
} {
  const ssm = new Map<string, string>();
  const env = new Map<string, string>();
  let broker: { host: string; password: string } | undefined;
  for (const use of uses) {
    const key = use.ref.ssm ?? use.ref.env;
    if (key === undefined) continue;
    const store = use.ref.ssm !== undefined ? ssm : env;
    if (store.has(key)) continue;
    const [first, second] = use.path;
    let value: string;
    if (first === 'secrets' && second === 'fernetKey') value = `${randomBytes(32).toString('base64url')}=`;
    else if (first === 'connections')
      // The extra starts with a letter: Airflow's Connection JSON-decodes a query value ("123456" → 123456, "1e512" → inf) and the
      // Task SDK's does not, so an all-digit token made the canary's fingerprint differ on Airflow 3 (docs/airflow-facts.md §10f).
      value = `generic://afc-user:${encodeURIComponent(`pw ${token(8)}${SPECIAL}`)}@afc-connection.invalid:5432/schema?afc_extra=x${token(6)}`;
    else if (first === 'broker') {
      broker = { host: 'afc-broker.invalid', password: token(16) };
      value = `redis://:${broker.password}@${broker.host}:6379/0`;
    } else if (first === 'dags') throw new Error(`${use.path.join('.')}: the runtime harness has no git server for a DAG repository's SSH key`);
    else value = `${token(24)}${SPECIAL}`;
    store.set(key, value);
  }
  return { ssm, env, ...(broker ? { broker } : {}) };
}

/** What a value must survive: quotes, `$`, `%`, `{{`, a backslash, a space and a non-ASCII letter. */
const SPECIAL = ` $HOME'"%s{{x}}\\ é`;

function token(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
