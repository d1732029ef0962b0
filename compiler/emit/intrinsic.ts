/**
 * A value the YAML emitter writes with a short tag: CloudFormation's
 * intrinsic functions (`!Ref Bucket`, `!GetAtt Db.Endpoint.Address`,
 * `!Sub 'arn:${AWS::Partition}:…'`). Templates are built as objects holding
 * these, never as text.
 */
export class Intrinsic {
  constructor(
    readonly tag: string,
    readonly value: unknown,
  ) {}
}

export const Ref = (name: string) => new Intrinsic('!Ref', name);
export const GetAtt = (resource: string, attribute: string) => new Intrinsic('!GetAtt', `${resource}.${attribute}`);
export const Sub = (text: string, variables?: Record<string, unknown>) => new Intrinsic('!Sub', variables ? [text, variables] : text);
export const Join = (separator: string, values: unknown[]) => new Intrinsic('!Join', [separator, values]);
export const If = (condition: string, whenTrue: unknown, whenFalse: unknown) => new Intrinsic('!If', [condition, whenTrue, whenFalse]);
export const Equals = (a: unknown, b: unknown) => new Intrinsic('!Equals', [a, b]);
export const Not = (condition: unknown) => new Intrinsic('!Not', [condition]);
export const Select = (index: number, list: unknown) => new Intrinsic('!Select', [index, list]);
export const GetAZs = (region = '') => new Intrinsic('!GetAZs', region);

/** Text for `!Sub` that contains no substitution: `${` written literally. */
export function subLiteral(text: string): string {
  return text.replace(/\$\{/g, '${!');
}
