import type { SSMClient } from '@aws-sdk/client-ssm';
import { importModule } from '../import-module.ts';

export interface SsmParameter {
  name: string;
  value: string;
  arn: string;
}

/** One SSM client for one build, and what it cost. */
export interface SsmSession {
  region: string;
  /** Where requests go, for messages: AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL, or the regional endpoint. */
  endpoint: string;
  calls: { GetParameters: number; GetParametersByPath: number };
  /** Each name fetched once; `missing` are the names SSM does not know. */
  getParameters(names: readonly string[], decrypt: boolean): Promise<{ found: SsmParameter[]; missing: string[] }>;
  /** Every parameter under a path, recursively, following NextToken until it is absent. */
  getParametersByPath(path: string): Promise<SsmParameter[]>;
  destroy(): void;
}

/** An SSM failure that is the environment's (credentials, access, network), not the spec's. */
export class SsmError extends Error {}

/** GetParameters takes at most 10 names. */
export const BATCH_SIZE = 10;
const CONCURRENCY = 4;
/** However the retries go, one call gives up after this long. */
export const CALL_DEADLINE_MS = 30_000;

/**
 * Opens a session. The SDK is imported here and only here, so that
 * `afc validate` and builds without `ssm` references never load it. Region,
 * credentials, profile and endpoint come the SDK's standard way
 * (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_SSM, …); `region` from the
 * target's block wins over them.
 */
export async function openSsm(options: { region?: string; deadlineMs?: number } = {}): Promise<SsmSession> {
  const deadline = options.deadlineMs ?? CALL_DEADLINE_MS;
  // afc supports Node 20 on purpose; the SDK's notice about its own future Node support is for afc's maintainers.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await importModule<typeof import('@aws-sdk/client-ssm')>('@aws-sdk/client-ssm');
  const client: SSMClient = new sdk.SSMClient({
    ...(options.region ? { region: options.region } : {}),
    // Adaptive retry backs off on ThrottlingException; timeouts keep an unreachable or stalled endpoint
    // from hanging a build (without throwOnRequestTimeout, the SDK only logs an exceeded requestTimeout).
    retryMode: 'adaptive',
    maxAttempts: 4,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
  });
  let region: string;
  try {
    region = await client.config.region();
  } catch {
    client.destroy();
    throw new SsmError('no AWS region is configured: set targets.<target>.region, or AWS_REGION (or a profile with a region)');
  }
  const endpoint = process.env.AWS_ENDPOINT_URL_SSM ?? process.env.AWS_ENDPOINT_URL ?? `https://ssm.${region}.amazonaws.com`;
  const calls = { GetParameters: 0, GetParametersByPath: 0 };
  const fail = (error: unknown, names: readonly string[]): never => {
    throw new SsmError(`cannot read SSM parameters in region ${region} at ${endpoint}: ${reason(error)} (parameters: ${shortList(names)})`);
  };

  return {
    region,
    endpoint,
    calls,
    async getParameters(names, decrypt) {
      const unique = [...new Set(names)].sort();
      const batches: string[][] = [];
      for (let i = 0; i < unique.length; i += BATCH_SIZE) batches.push(unique.slice(i, i + BATCH_SIZE));
      const found: SsmParameter[] = [];
      const missing: string[] = [];
      await pool(batches, CONCURRENCY, async (batch) => {
        calls.GetParameters++;
        const response = await client
          .send(new sdk.GetParametersCommand({ Names: batch, WithDecryption: decrypt }), { abortSignal: AbortSignal.timeout(deadline) })
          .catch((error: unknown) => fail(error, batch));
        for (const p of response.Parameters ?? []) found.push({ name: p.Name!, value: p.Value ?? '', arn: p.ARN ?? '' });
        missing.push(...(response.InvalidParameters ?? []));
      });
      return { found, missing: missing.sort() };
    },
    async getParametersByPath(path) {
      const found: SsmParameter[] = [];
      let token: string | undefined;
      // A page can be short, or empty, and still carry a NextToken: only its absence ends the listing.
      do {
        calls.GetParametersByPath++;
        const response = await client
          .send(new sdk.GetParametersByPathCommand({ Path: path, Recursive: true, WithDecryption: true, ...(token ? { NextToken: token } : {}) }), {
            abortSignal: AbortSignal.timeout(deadline),
          })
          .catch((error: unknown) => fail(error, [`${path}*`]));
        for (const p of response.Parameters ?? []) found.push({ name: p.Name!, value: p.Value ?? '', arn: p.ARN ?? '' });
        token = response.NextToken;
      } while (token);
      return found.sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    destroy: () => client.destroy(),
  };
}

/** Names for a message: the first five, and how many more. */
export function shortList(names: readonly string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
}

/** Why an SDK call failed, for a person, without any value. */
function reason(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const text = `${e.name ?? ''} ${e.message ?? ''} ${e.code ?? ''}`;
  if (/CredentialsProviderError|Could not load credentials/i.test(text))
    return 'no AWS credentials were found (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with a role)';
  if (/KMS/i.test(text) && /AccessDenied|not authorized/i.test(text)) return `KMS refused to decrypt: ${e.message}`;
  if (/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken/i.test(text)) return `access denied: ${e.message}`;
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH/.test(text))
    return `cannot connect (${/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH/.exec(text)![0]})`;
  if (/Timeout|timed out|AbortError|aborted/i.test(text)) return 'the endpoint did not answer in time';
  if (/Throttling|Rate exceeded/i.test(text)) return 'throttled by SSM, even after retries';
  const status = e.$metadata?.httpStatusCode;
  if (status && /Unknown/.test(text)) return `the endpoint answered HTTP ${status}, which is not an SSM answer`;
  // The SDK's deserializer failed on the body (a proxy's login page, a wrong endpoint): its message names its own internals.
  if (e.name === 'SyntaxError' || /Deserialization error/.test(text))
    return `the endpoint answered${status ? ` HTTP ${status}` : ''} with something that is not an SSM answer (not JSON)`;
  return `${e.name ?? 'error'}: ${e.message ?? String(error)}`;
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}
