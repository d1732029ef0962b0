import { resolveDynamicReferences } from './dynamic-references.ts';
import { evaluateCondition, evaluateIntrinsics, TemplateError, type IntrinsicScope } from './intrinsics.ts';
import { physicalAttribute, physicalRef, type ResourceView, type StackPlace } from './resource-models.ts';

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
}

interface Template {
  Transform?: unknown;
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources?: Record<string, TemplateResource>;
}

/**
 * A CloudFormation stack created from a template, as far as the harness needs
 * one: its parameters (their defaults: the harness passes none), conditions,
 * the resources whose condition holds, each property evaluated on demand
 * (intrinsic functions, then dynamic references), and the order in which
 * CloudFormation creates resources (a resource waits for every resource it
 * refers to or names in DependsOn).
 */
export class Stack {
  readonly resources = new Map<string, TemplateResource>();
  private readonly properties = new Map<string, unknown>();
  private readonly conditions = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();
  private readonly scope: IntrinsicScope;

  constructor(
    private readonly template: Template,
    readonly place: StackPlace,
    private readonly ssm: ReadonlyMap<string, string>,
  ) {
    if (template.Transform !== undefined)
      throw new TemplateError(`Transform ${JSON.stringify(template.Transform)}: the runtime harness does not run CloudFormation macros`);
    this.scope = {
      ref: (name, where) => this.ref(name, where),
      getAtt: (resource, attribute, where) => physicalAttribute(this.view(resource, where), attribute),
      condition: (name, where) => this.condition(name, where),
      mapping: (name, top, second, where) => {
        const value = template.Mappings?.[name]?.[top]?.[second];
        if (value === undefined) throw new TemplateError(`${where}: Mappings.${name}.${top}.${second} does not exist`);
        return value;
      },
    };
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Condition === undefined || this.condition(resource.Condition, `Resources.${id}.Condition`)) this.resources.set(id, resource);
    }
  }

  /** The logical ids of the resources of one type, in template order. */
  ofType(type: string): string[] {
    return [...this.resources].filter(([, r]) => r.Type === type).map(([id]) => id);
  }

  /** A value of the template, evaluated: intrinsic functions, then dynamic references. */
  evaluate(value: unknown, where: string): unknown {
    return resolveDynamicReferences(evaluateIntrinsics(value, this.scope, where), this.ssm, where);
  }

  /** One property of a resource, evaluated once. */
  property(id: string, name: string): unknown {
    const key = `${id}.${name}`;
    if (this.properties.has(key)) return this.properties.get(key);
    const resource = this.resource(id, `Resources.${id}`);
    if (this.evaluating.has(key)) throw new TemplateError(`Resources.${key} refers to itself`);
    this.evaluating.add(key);
    try {
      const raw = resource.Properties?.[name];
      const value = raw === undefined ? undefined : this.evaluate(raw, `Resources.${id}.Properties.${name}`);
      this.properties.set(key, value);
      return value;
    } finally {
      this.evaluating.delete(key);
    }
  }

  /** A resource's Ref: its physical id. */
  physicalId(id: string): string {
    return physicalRef(this.view(id, `Resources.${id}`));
  }

  /** The resource of `type` whose Ref (or attribute) is `value`: how ECS finds a role from its ARN, a target group from its ARN. */
  find(type: string, value: unknown, attribute?: string): string | undefined {
    return this.ofType(type).find((id) => (attribute ? physicalAttribute(this.view(id, id), attribute) : this.physicalId(id)) === value);
  }

  /** Every resource CloudFormation creates before `id`: what it refers to and names in DependsOn, and theirs. */
  prerequisites(id: string): Set<string> {
    const found = new Set<string>();
    const visit = (current: string) => {
      const resource = this.resources.get(current);
      if (!resource) return;
      const direct = [...referencedNames(resource.Properties), ...(typeof resource.DependsOn === 'string' ? [resource.DependsOn] : (resource.DependsOn ?? []))];
      for (const name of direct) {
        if (!this.resources.has(name) || found.has(name)) continue;
        found.add(name);
        visit(name);
      }
    };
    visit(id);
    return found;
  }

  private resource(id: string, where: string): TemplateResource {
    const resource = this.resources.get(id);
    if (resource) return resource;
    const declared = this.template.Resources?.[id];
    throw new TemplateError(
      declared ? `${where}: ${id} is not created (its condition ${declared.Condition} is false)` : `${where}: no resource or parameter ${id}`,
    );
  }

  private view(id: string, where: string): ResourceView {
    const resource = this.resource(id, where);
    return { id, type: resource.Type, place: this.place, prop: (name) => this.property(id, name) };
  }

  private ref(name: string, where: string): unknown {
    const pseudo: Record<string, unknown> = {
      'AWS::Region': this.place.region,
      'AWS::AccountId': this.place.accountId,
      'AWS::Partition': this.place.partition,
      'AWS::StackName': this.place.stackName,
      'AWS::URLSuffix': this.place.urlSuffix,
      'AWS::StackId': `arn:${this.place.partition}:cloudformation:${this.place.region}:${this.place.accountId}:stack/${this.place.stackName}/00000000-0000-4000-8000-000000000000`,
      'AWS::NotificationARNs': [],
    };
    if (name in pseudo) return pseudo[name];
    if (name.startsWith('AWS::')) throw new TemplateError(`${where}: the runtime harness has no pseudo parameter ${name}`);
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      // The harness deploys with every parameter at its default.
      if (parameter.Default === undefined) throw new TemplateError(`${where}: parameter ${name} has no Default, and the harness passes no parameters`);
      const value = String(parameter.Default);
      return parameter.Type === 'CommaDelimitedList' || parameter.Type.startsWith('List<') ? value.split(',').map((v) => v.trim()) : value;
    }
    this.resource(name, where);
    return this.physicalId(name);
  }

  private condition(name: string, where: string): boolean {
    const cached = this.conditions.get(name);
    if (cached !== undefined) return cached;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new TemplateError(`${where}: no condition ${name}`);
    const value = evaluateCondition(definition, this.scope, `Conditions.${name}`);
    this.conditions.set(name, value);
    return value;
  }
}

/** The names a value refers to: Ref, Fn::GetAtt and Fn::Sub's `${Name}` / `${Name.Attribute}`. */
function referencedNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedNames);
  if (value === null || typeof value !== 'object') return [];
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, argument] = entries[0]!;
    if (key === 'Ref' && typeof argument === 'string') return [argument];
    if (key === 'Fn::GetAtt') return [typeof argument === 'string' ? argument.split('.')[0]! : String((argument as unknown[])[0])];
    if (key === 'Fn::Sub') {
      const [text, variables] = typeof argument === 'string' ? [argument, {}] : (argument as [string, Record<string, unknown>]);
      const inText = [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1]!.trim().split('.')[0]!).filter((n) => !Object.hasOwn(variables, n));
      return [...inText, ...referencedNames(variables)];
    }
  }
  return entries.flatMap(([, v]) => referencedNames(v));
}
