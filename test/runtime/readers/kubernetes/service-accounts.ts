import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanMount } from '../../plan.ts';
import type { Manifest } from './manifests.ts';

/** Where a pod finds its ServiceAccount's credentials (the kube-api-access projected volume). */
export const TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The namespace's ServiceAccounts as the cluster runs them: `default` and
 * the output's own, each with a bearer token the harness's API server
 * knows, in a folder of token, ca.crt and namespace that the kubelet mounts
 * into every container of a pod running as that account (unless
 * automountServiceAccountToken is false on the pod or the account). A pod
 * of an account the namespace lacks is refused by admission.
 */
export class ServiceAccounts {
  private readonly tokens = new Map<string, string>();
  private readonly automount = new Map<string, boolean>();

  constructor(
    manifests: readonly Manifest[],
    private readonly namespace: string,
    private readonly ca: string,
    private readonly dir: string,
  ) {
    this.automount.set('default', true);
    for (const m of manifests) if (m.kind === 'ServiceAccount') this.automount.set(m.metadata.name, m.automountServiceAccountToken ?? true);
  }

  /** The mounts of a pod's containers; `podSetting` is the pod's automountServiceAccountToken. */
  mounts(account: string, podSetting: boolean | undefined, where: string): PlanMount[] {
    const automount = this.automount.get(account);
    if (automount === undefined) throw new Error(`${where}: ServiceAccount ${account} is not in the output (admission refuses the pod)`);
    if (!(podSetting ?? automount)) return [];
    const folder = join(this.dir, account);
    mkdirSync(folder, { recursive: true });
    const files = { token: this.token(account), 'ca.crt': this.ca, namespace: this.namespace };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(folder, name), content);
      chmodSync(join(folder, name), 0o644);
    }
    return [{ hostPath: folder, target: TOKEN_MOUNT, readOnly: true }];
  }

  /** The account a bearer token stands for. */
  identify(token: string): string | undefined {
    for (const [account, t] of this.tokens) if (t === token) return account;
    return undefined;
  }

  private token(account: string): string {
    if (!this.tokens.has(account)) this.tokens.set(account, randomBytes(24).toString('base64url'));
    return this.tokens.get(account)!;
  }
}
