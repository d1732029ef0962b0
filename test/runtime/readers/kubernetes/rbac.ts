import type { Manifest } from './manifests.ts';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** One request, in RBAC's terms. */
export interface Access {
  verb: string;
  /** `pods`, or `pods/log` for a subresource. */
  resource: string;
  name?: string;
}

/**
 * Kubernetes RBAC over the output's Roles, ClusterRoles and their bindings:
 * may a ServiceAccount of the namespace do this? As the API server's
 * authorizer decides for each request (no aggregation of ClusterRoles, no
 * non-resource URLs beyond discovery, which every account may read).
 */
export class Rbac {
  constructor(
    private readonly manifests: readonly Manifest[],
    private readonly namespace: string,
  ) {}

  allows(serviceAccount: string, access: Access): boolean {
    const subject = (s: { kind: string; name: string; namespace?: string }) =>
      s.kind === 'ServiceAccount' && s.name === serviceAccount && (s.namespace ?? this.namespace) === this.namespace;
    const bindings = this.manifests.filter((m) => (m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') && (m.subjects ?? []).some(subject));
    return bindings.some((binding) => {
      const ref = binding.roleRef as { kind: string; name: string };
      const role = this.manifests.find((m) => m.kind === ref.kind && m.metadata.name === ref.name);
      return ((role?.rules ?? []) as PolicyRule[]).some((rule) => matches(rule, access));
    });
  }
}

function matches(rule: PolicyRule, access: Access): boolean {
  const any = (list: string[] | undefined, value: string) => (list ?? []).some((v) => v === '*' || v === value);
  return (
    any(rule.apiGroups, '') &&
    any(rule.resources, access.resource) &&
    any(rule.verbs, access.verb) &&
    (!rule.resourceNames?.length || (access.name !== undefined && rule.resourceNames.includes(access.name)))
  );
}
