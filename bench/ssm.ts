// SSM resolution benchmark: afc's resolver (GetParameters, 10 names a call, 4 at a time)
// against a one-by-one GetParameter loop, for 100 SecureString parameters in moto_server.
// Run by `npm run bench`; needs moto_server (preinstalled on afc's CI machines).
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { resolveSecrets } from '../compiler/secrets/resolve.ts';
import { startMoto } from '../test/support/moto.ts';

const COUNT = 100;
const moto = await startMoto();
Object.assign(process.env, {
  AWS_ENDPOINT_URL_SSM: moto.endpoint,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});
try {
  const names = Array.from({ length: COUNT }, (_, i) => `/bench/p${String(i).padStart(3, '0')}`);
  const client = new SSMClient({});
  for (const name of names) await client.send(new PutParameterCommand({ Name: name, Value: `v-${name}`, Type: 'SecureString', Overwrite: true }));

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const runs = 5;
  const batched: number[] = [];
  let calls = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const resolved = await resolveSecrets(
      names.map((ssm) => ({ path: ['bench'], ref: { ssm } })),
      { specFile: 'bench.yaml', mode: 'values', offline: false, targetName: 'bench', fromSsmPath: {} },
    );
    batched.push(performance.now() - started);
    calls = resolved.ssm!.calls.GetParameters;
    if (resolved.problems.length) throw new Error(resolved.problems[0]!.message);
  }
  const loop: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    for (const name of names) await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    loop.push(performance.now() - started);
  }
  client.destroy();
  console.log(`SSM, ${COUNT} SecureString parameters against moto_server, median of ${runs} runs:`);
  console.log(
    `  afc resolver (GetParameters, batched)   ${String(calls).padStart(3)} calls  ${median(batched).toFixed(1).padStart(7)} ms (includes opening the client)`,
  );
  console.log(`  one-by-one GetParameter loop             ${String(COUNT).padStart(3)} calls  ${median(loop).toFixed(1).padStart(7)} ms`);
} finally {
  await moto.stop();
}
