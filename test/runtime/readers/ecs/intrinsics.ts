/**
 * CloudFormation's intrinsic functions, evaluated as CloudFormation does when
 * it creates a stack: Ref, Fn::GetAtt, Fn::Sub (both forms, `${!Literal}`),
 * Fn::Join, Fn::Select, Fn::Split, Fn::If with conditions (Fn::Equals, Not,
 * And, Or, Condition), Fn::Base64, Fn::FindInMap, and AWS::NoValue. Any other
 * function is an error naming it: the harness does not guess.
 */

/** What `Ref`, `Fn::GetAtt`, conditions and mappings mean in one stack. */
export interface IntrinsicScope {
  ref(name: string, where: string): unknown;
  getAtt(resource: string, attribute: string, where: string): unknown;
  condition(name: string, where: string): boolean;
  mapping(name: string, top: string, second: string, where: string): unknown;
}

/** `Ref: AWS::NoValue`: the property (or list item) is left out. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export class TemplateError extends Error {}

export function evaluateIntrinsics(value: unknown, scope: IntrinsicScope, where: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => evaluateIntrinsics(v, scope, `${where}[${i}]`)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, argument] = entries[0]!;
    if (key === 'Ref') return evaluateRef(argument, scope, where);
    if (key.startsWith('Fn::')) return evaluateFunction(key, argument, scope, `${where}.${key}`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const evaluated = evaluateIntrinsics(v, scope, `${where}.${k}`);
    if (evaluated !== NO_VALUE) out[k] = evaluated;
  }
  return out;
}

function evaluateRef(argument: unknown, scope: IntrinsicScope, where: string): unknown {
  if (typeof argument !== 'string') throw new TemplateError(`${where}: Ref takes a name, not ${JSON.stringify(argument)}`);
  if (argument === 'AWS::NoValue') return NO_VALUE;
  return scope.ref(argument, where);
}

function evaluateFunction(fn: string, argument: unknown, scope: IntrinsicScope, where: string): unknown {
  const evaluate = (v: unknown, at = where) => evaluateIntrinsics(v, scope, at);
  switch (fn) {
    case 'Fn::GetAtt': {
      const parts = typeof argument === 'string' ? argument.split(/\.(.*)/s, 2) : argument;
      if (!Array.isArray(parts) || parts.length !== 2)
        throw new TemplateError(`${where}: Fn::GetAtt takes [resource, attribute], not ${JSON.stringify(argument)}`);
      const attribute = evaluate(parts[1]);
      if (typeof parts[0] !== 'string' || typeof attribute !== 'string')
        throw new TemplateError(`${where}: Fn::GetAtt takes names, not ${JSON.stringify(parts)}`);
      return scope.getAtt(parts[0], attribute, where);
    }
    case 'Fn::Sub':
      return substitute(argument, scope, where);
    case 'Fn::Join': {
      const [separator, list] = pair(argument, fn, where);
      const items = evaluate(list);
      if (typeof separator !== 'string' || !Array.isArray(items)) throw new TemplateError(`${where}: Fn::Join takes [separator, list]`);
      return items.map((item, i) => text(item, `${where}[1][${i}]`)).join(separator);
    }
    case 'Fn::Select': {
      const [index, list] = pair(argument, fn, where);
      const items = evaluate(list);
      const i = Number(evaluate(index));
      if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length)
        throw new TemplateError(`${where}: Fn::Select index ${String(index)} is not in a list of ${Array.isArray(items) ? items.length : 'no'} items`);
      return items[i];
    }
    case 'Fn::Split': {
      const [separator, source] = pair(argument, fn, where);
      if (typeof separator !== 'string') throw new TemplateError(`${where}: Fn::Split takes [separator, text]`);
      return text(evaluate(source), where).split(separator);
    }
    case 'Fn::If': {
      if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string')
        throw new TemplateError(`${where}: Fn::If takes [condition, then, else]`);
      return scope.condition(argument[0], where) ? evaluate(argument[1], `${where}[1]`) : evaluate(argument[2], `${where}[2]`);
    }
    case 'Fn::Base64':
      return Buffer.from(text(evaluate(argument), where), 'utf8').toString('base64');
    case 'Fn::FindInMap': {
      if (!Array.isArray(argument) || argument.length !== 3) throw new TemplateError(`${where}: Fn::FindInMap takes [map, top-level key, second-level key]`);
      const [map, top, second] = argument.map((a, i) => text(evaluate(a, `${where}[${i}]`), where));
      return scope.mapping(map!, top!, second!, where);
    }
    case 'Fn::Equals':
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or':
      return evaluateCondition({ [fn]: argument }, scope, where);
    default:
      throw new TemplateError(`${where}: the runtime harness does not evaluate ${fn}`);
  }
}

/** A condition (the template's Conditions, or inside Fn::If's siblings): Fn::Equals, Not, And, Or, Condition. */
export function evaluateCondition(value: unknown, scope: IntrinsicScope, where: string): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length !== 1)
    throw new TemplateError(`${where}: not a condition: ${JSON.stringify(value)}`);
  const [fn, argument] = Object.entries(value)[0]!;
  const list = (n?: number): unknown[] => {
    if (!Array.isArray(argument) || (n !== undefined && argument.length !== n) || argument.length === 0)
      throw new TemplateError(`${where}: ${fn} takes ${n ?? 'a list of'} arguments`);
    return argument;
  };
  switch (fn) {
    case 'Condition':
      if (typeof argument !== 'string') throw new TemplateError(`${where}: Condition takes a name`);
      return scope.condition(argument, where);
    case 'Fn::Equals': {
      const [a, b] = list(2).map((v, i) => evaluateIntrinsics(v, scope, `${where}[${i}]`));
      return JSON.stringify(scalar(a)) === JSON.stringify(scalar(b));
    }
    case 'Fn::Not':
      return !evaluateCondition(list(1)[0], scope, `${where}[0]`);
    case 'Fn::And':
      return list().every((c, i) => evaluateCondition(c, scope, `${where}[${i}]`));
    case 'Fn::Or':
      return list().some((c, i) => evaluateCondition(c, scope, `${where}[${i}]`));
    default:
      throw new TemplateError(`${where}: ${fn} is not a condition function`);
  }
}

/** Fn::Sub: `${Name}` is a Ref (or a variable of the second form), `${Resource.Attribute}` a Fn::GetAtt, `${!Literal}` is `${Literal}`. */
function substitute(argument: unknown, scope: IntrinsicScope, where: string): string {
  const [template, variables] =
    typeof argument === 'string' ? [argument, {}] : Array.isArray(argument) && argument.length === 2 ? argument : [undefined, undefined];
  if (typeof template !== 'string' || variables === null || typeof variables !== 'object')
    throw new TemplateError(`${where}: Fn::Sub takes a string or [string, {variables}]`);
  const values = new Map<string, unknown>();
  const variable = (name: string): unknown => {
    if (!values.has(name)) values.set(name, evaluateIntrinsics((variables as Record<string, unknown>)[name], scope, `${where}[1].${name}`));
    return values.get(name);
  };
  return template.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.hasOwn(variables, name)) return text(variable(name), `${where}: \${${name}}`);
    const dot = name.indexOf('.');
    const value = dot > 0 && !name.startsWith('AWS::') ? scope.getAtt(name.slice(0, dot), name.slice(dot + 1), where) : scope.ref(name, where);
    return text(value, `${where}: \${${name}}`);
  });
}

function pair(argument: unknown, fn: string, where: string): [unknown, unknown] {
  if (!Array.isArray(argument) || argument.length !== 2) throw new TemplateError(`${where}: ${fn} takes two arguments, not ${JSON.stringify(argument)}`);
  return [argument[0], argument[1]];
}

/** A value that becomes part of a string: a string, or a number or boolean as CloudFormation writes it. */
function text(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${where}: ${JSON.stringify(value)} is not text`);
}

/** Template scalars compare as strings (CloudFormation passes parameters and numbers as strings). */
function scalar(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}
