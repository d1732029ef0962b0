import type { Model } from '../../../compiler/normalize/model.ts';
import type { SecretRef } from '../../../schema/generated/types.ts';
import type { RunCertificates } from '../certificates.ts';
import type { DeploymentPlan } from '../plan.ts';
import { readCompose } from './compose.ts';
import { readEc2 } from './ec2.ts';
import { readEcs } from './ecs.ts';
import { readKubernetes } from './kubernetes.ts';

/** What a reader may need besides the output: values the platform would fetch itself, and the run's CA. */
export interface ReaderContext {
  model: Model;
  /** A secret reference's value, as the platform's secret store holds it. */
  secretValue(ref: SecretRef): string;
  /** SSM parameters by name (moto holds the same). */
  ssm: ReadonlyMap<string, string>;
  certificates: RunCertificates;
  awsEndpoint: string;
  /** The run's folder, where a reader may write what the platform would hold (files of Kubernetes configMap and secret volumes). */
  runDir: string;
  /** The host's address on the pods' network, where the harness serves what the platform runs beside the pods (moto, a Kubernetes API server). */
  hostAddress: string;
  /** The environment of the shell a user runs the platform's command line from (`docker compose up`): translation.ts. */
  shell: Record<string, string>;
}

/** The plan of a target's output folder, read the way that target's platform reads it. */
export async function readOutput(target: string, outDir: string, context: ReaderContext): Promise<DeploymentPlan> {
  switch (target) {
    case 'compose':
      return readCompose(outDir, context.shell);
    case 'ec2':
      return readEc2(outDir, context);
    case 'ecs':
      return readEcs(outDir, context);
    case 'eks':
    case 'kubernetes':
      return readKubernetes(outDir, context);
    default:
      throw new Error(`the runtime harness has no reader for the ${target} target yet`);
  }
}
