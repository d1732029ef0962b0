import { afterAll, beforeAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** moto_server, the local AWS emulator, on loopback (or `host`); stop() ends it. */
export async function startMoto(host = '127.0.0.1'): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', host, '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://${host}:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error('moto_server did not start within 20 s');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

/**
 * For a describe block: moto_server for its tests, the AWS SDK pointed at it
 * through the standard variables (as a user would), and the environment put
 * back afterwards. `setup` runs once moto is up.
 */
export function useMoto(setup: (endpoint: string) => Promise<void> = async () => {}): { endpoint: () => string } {
  let moto: Awaited<ReturnType<typeof startMoto>> | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    moto = await startMoto();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ENDPOINT_URL_SSM: moto.endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    await setup(moto.endpoint);
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
    process.env = saved;
  });
  return { endpoint: () => moto!.endpoint };
}

/** SecureString parameters in the SSM that the environment points at. */
export async function putSecureStrings(parameters: Record<string, string>): Promise<void> {
  const { PutParameterCommand, SSMClient } = await import('@aws-sdk/client-ssm');
  const client = new SSMClient({});
  await Promise.all(
    Object.entries(parameters).map(([Name, Value]) => client.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }))),
  );
  client.destroy();
}
