import type { SpecPath } from '../../compiler/diagnostics/problem.ts';
import { DEFAULTS } from '../../compiler/normalize/normalize.ts';
import type { Model } from '../../compiler/normalize/model.ts';

/** A setting the spec holds that a deployment on one host (compose, ec2) cannot honour, and why. */
export interface IgnoredSetting {
  path: SpecPath;
  what: string;
}

export function ignoredOnOneHost(model: Model): IgnoredSetting[] {
  const ignored: IgnoredSetting[] = [];
  if (model.database.kind === 'managed' && model.database.instanceClass !== DEFAULTS.managedDatabase.instanceClass) {
    ignored.push({ path: ['database', 'managed', 'instanceClass'], what: 'database.managed.instanceClass: Postgres runs as a container' });
  }
  if (model.broker?.kind === 'managed' && model.broker.nodeType !== DEFAULTS.managedBroker.nodeType)
    ignored.push({ path: ['broker', 'managed', 'nodeType'], what: 'broker.managed.nodeType: Redis runs as a container' });
  if (model.broker?.kind === 'managed' && model.broker.password)
    ignored.push({
      path: ['broker', 'managed', 'password'],
      what: "broker.managed.password: Redis runs without one, reachable only on the deployment's private network",
    });
  if (model.components.workers?.autoscaling)
    ignored.push({
      path: ['components', 'workers', 'autoscaling'],
      what: `components.workers.autoscaling: one host runs a fixed ${model.components.workers.replicas} workers`,
    });
  if (model.components.webserver.replicas > 1)
    ignored.push({
      path: ['components', 'webserver', 'replicas'],
      what: `components.webserver.replicas: one ${model.facts.web.component} owns the published port`,
    });
  if (model.network.tls) ignored.push({ path: ['network', 'tls'], what: 'network.tls: put a TLS-terminating proxy in front of the published port' });
  if (model.logging.retentionDays !== DEFAULTS.logging.retentionDays)
    ignored.push({
      path: ['logging', 'retentionDays'],
      what: 'logging.retentionDays: task logs stay in a volume on the host (logging.remote ships them to S3)',
    });
  return ignored;
}
