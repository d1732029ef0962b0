import { describe, expect, it } from 'vitest';
import { fieldSelector, labelSelector } from './selectors.ts';

describe('label selectors', () => {
  const labels = { 'airflow-worker': '12', kubernetes_executor: 'True', dag_id: 'd' };
  it('equality, inequality (which an absent label satisfies), existence and sets', () => {
    expect(labelSelector('airflow-worker=12,airflow_executor_done!=True')(labels)).toBe(true);
    expect(labelSelector('airflow-worker==13')(labels)).toBe(false);
    expect(labelSelector('dag_id,!try_number')(labels)).toBe(true);
    expect(labelSelector('dag_id in (a, d),airflow-worker notin (1,2)')(labels)).toBe(true);
    expect(labelSelector('dag_id notin (d)')(labels)).toBe(false);
    expect(labelSelector('')(labels)).toBe(true);
  });
  it('refuses what it cannot parse', () => expect(() => labelSelector('a b c')).toThrow(/unable to parse/));
});

describe('field selectors', () => {
  const fields = (path: string) => ({ 'status.phase': 'Succeeded', 'metadata.name': 'p' })[path];
  it('=, == and !=', () => {
    expect(fieldSelector('status.phase=Succeeded')(fields)).toBe(true);
    expect(fieldSelector('status.phase!=Succeeded')(fields)).toBe(false);
    expect(fieldSelector('metadata.name==p,status.phase!=Pending')(fields)).toBe(true);
  });
  it('refuses a field the API server does not select on', () => expect(() => fieldSelector('spec.nodeName=x')(fields)).toThrow(/not supported/));
});
