import { createServer } from 'node:http';

export interface FakeSsmRequest {
  /** `GetParameters`, `GetParametersByPath`, … from the X-Amz-Target header. */
  action: string;
  body: Record<string, unknown>;
}

/**
 * A local SSM endpoint for the cases moto cannot stage (throttling, denial,
 * pages that are empty yet carry a NextToken): `answer` gives the status and
 * JSON body of each request, and every request is recorded as it came on the wire.
 */
export async function startFakeSsm(answer: (request: FakeSsmRequest, index: number) => { status?: number; body: unknown; raw?: string }) {
  const requests: FakeSsmRequest[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const received = {
        action: String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, ''),
        body: JSON.parse(text || '{}') as Record<string, unknown>,
      };
      requests.push(received);
      const { status, body, raw } = answer(received, requests.length - 1);
      response.statusCode = status ?? 200;
      response.setHeader('content-type', raw === undefined ? 'application/x-amz-json-1.1' : 'text/html');
      // `raw`: what a proxy or a wrong endpoint answers instead of SSM's JSON.
      response.end(raw ?? JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  // The SDK finds it the standard way, as a user's VPC endpoint or emulator.
  Object.assign(process.env, { AWS_ENDPOINT_URL_SSM: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  return { endpoint, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A GetParameters answer that knows every name it is asked for. */
export function parametersAnswer(names: readonly string[], valueFor: (name: string) => string) {
  return {
    Parameters: names.map((n) => ({ Name: n, Value: valueFor(n), Type: 'SecureString', ARN: `arn:aws:ssm:eu-west-1:123456789012:parameter${n}` })),
    InvalidParameters: [],
  };
}
