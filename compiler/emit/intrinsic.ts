/**
 * CloudFormation's intrinsic functions in their long form (`{ Ref: … }`,
 * `{ "Fn::Sub": … }`): plain data, so templates survive cloning and JSON
 * patches (a user's `overrides` can hold them too). The YAML emitter writes
 * them as short tags (`!Ref Bucket`) when asked to (`intrinsics: true`).
 */
export type Intrinsic = { Ref: string } | { [fn: `Fn::${string}`]: unknown };

export const Ref = (name: string): Intrinsic => ({ Ref: name });
export const GetAtt = (resource: string, attribute: string): Intrinsic => ({ 'Fn::GetAtt': [resource, attribute] });
export const Sub = (text: string, variables?: Record<string, unknown>): Intrinsic => ({ 'Fn::Sub': variables ? [text, variables] : text });
export const Join = (separator: string, values: unknown[]): Intrinsic => ({ 'Fn::Join': [separator, values] });

/** Text for `!Sub` that contains no substitution: `${` written literally. */
export function subLiteral(text: string): string {
  return text.replace(/\$\{/g, '${!');
}

/**
 * A `!Sub` from a template literal, the one way afc writes one around text
 * it did not write itself: the template's own text is afc's (its `\${AWS::Region}`
 * are substitutions), and every interpolated value is literal text, each
 * `${` written `${!` so that CloudFormation substitutes nothing in it
 * ("To write a dollar sign and curly braces (${}) literally, add an
 * exclamation point (!) after the open curly brace", Fn::Sub;
 * docs/airflow-facts.md §15):
 * sub`arn:\${AWS::Partition}:s3:::${bucket}/${prefix}/*`.
 */
export function sub(template: TemplateStringsArray, ...values: (string | number)[]): Intrinsic {
  return Sub(template.reduce((out, part, i) => out + part + (i < values.length ? subLiteral(String(values[i])) : ''), ''));
}

/** The short tag and its value, when `value` is an intrinsic function in long form. */
export function shortForm(value: unknown): { tag: string; value: unknown } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  const inner = (value as Record<string, unknown>)[key];
  if (key === 'Ref') return { tag: '!Ref', value: inner };
  if (!key.startsWith('Fn::')) return undefined;
  // `!GetAtt Resource.Attribute` is the form people read; the list form is equivalent.
  if (key === 'Fn::GetAtt' && Array.isArray(inner) && inner.every((p) => typeof p === 'string')) return { tag: '!GetAtt', value: inner.join('.') };
  return { tag: `!${key.slice(4)}`, value: inner };
}
