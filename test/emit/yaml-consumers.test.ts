import { describe, expect, it } from 'vitest';
import { toYaml } from '../../compiler/emit/yaml.ts';
import { cfnYamlLoad, goYamlLoad, HOSTILE_STRINGS, haveCfnLoader, haveGo, havePyYaml, pyYamlLoad } from '../support/hostile.ts';

/** Every hostile string as a value, in a list and in a flow mapping, and as a key. */
const values = Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`v${i}`, s]));
const keys = Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [s, `k${i}`]));

describe('the YAML emitter, read back by each consumer', () => {
  it.skipIf(!havePyYaml())('PyYAML (docker-compose, cloud-init) reads every string as written', () => {
    const doc = { values, list: HOSTILE_STRINGS, keys };
    expect(pyYamlLoad(toYaml(doc, { header: ['header with\u2028a line separator'] }))).toEqual(doc);
  });

  it.skipIf(!havePyYaml())('flow-mapping list items too', () => {
    const doc = { env: HOSTILE_STRINGS.map((s, i) => ({ Name: `N${i}`, Value: s })) };
    expect(pyYamlLoad(toYaml(doc, { flowItems: () => true }))).toEqual(doc);
  });

  it.skipIf(!haveCfnLoader())("CloudFormation's loader (cfn-lint's) reads every string as written", () => {
    const doc = { Resources: { Values: { Type: 'AWS::CloudFormation::WaitConditionHandle', Metadata: { values, list: HOSTILE_STRINGS } } } };
    expect(cfnYamlLoad(toYaml(doc, { intrinsics: true }))).toEqual(doc);
  });

  it.skipIf(!haveGo())('go-yaml v3 (kustomize, kubectl apply -k) reads every string as written', () => {
    const doc = { values, list: HOSTILE_STRINGS, keys };
    expect(goYamlLoad(toYaml(doc, { header: ['header with\u2028a line separator'] }))).toEqual([doc]);
  });
});
