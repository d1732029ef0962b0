import type { RenderContext, TargetDocument } from '../../compiler/targets/target.ts';

/**
 * What the API server stores in one ConfigMap or Secret: 1 MiB of data
 * (k8s.io/kubernetes pkg/apis/core/validation `MaxSecretSize = 1 * 1024 * 1024`,
 * checked against a ConfigMap's keys plus values and a Secret's values;
 * kubernetes.io "ConfigMaps": "The data stored in a ConfigMap cannot exceed
 * 1 MiB"; docs/airflow-facts.md §15).
 */
export const MAX_DATA_BYTES = 1024 * 1024;
/** The total of an object's annotation keys and values (apimachinery `TotalAnnotationSizeLimitB = 256 * (1 << 10)`; §15). */
export const MAX_ANNOTATION_BYTES = 256 * 1024;

type Obj = {
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Bytes of data the API server counts for a ConfigMap (keys and values) or a Secret (values, `data` decoded); undefined for other kinds. */
export function dataBytes(object: Obj): number | undefined {
  if (object.kind === 'ConfigMap') return Object.entries(object.data ?? {}).reduce((sum, [k, v]) => sum + bytes(k) + bytes(v), 0);
  if (object.kind !== 'Secret') return undefined;
  const decoded = Object.values(object.data ?? {}).reduce((sum, v) => sum + Buffer.from(v, 'base64').length, 0);
  return decoded + Object.values(object.stringData ?? {}).reduce((sum, v) => sum + bytes(v), 0);
}

/**
 * Refuses a ConfigMap or Secret holding more than {@link MAX_DATA_BYTES}
 * (AFC3411) and an object whose annotations total more than
 * {@link MAX_ANNOTATION_BYTES} (AFC3412), naming the file, the object, the
 * measured size and the limit: `kubectl apply` would fail on them.
 */
export function refuseOversizedObjects(documents: readonly TargetDocument[], ctx: RenderContext): void {
  for (const document of documents) {
    if (document.format !== 'yaml' && document.format !== 'yaml-stream') continue;
    const objects = (document.format === 'yaml-stream' ? document.content : [document.content]) as Obj[];
    for (const object of objects) {
      const what = `${document.path}: ${object.kind} ${object.metadata?.name}`;
      const size = dataBytes(object);
      if (size !== undefined && size > MAX_DATA_BYTES)
        ctx.report(
          'error',
          'AFC3411',
          [],
          `${what} holds ${size} bytes of data; Kubernetes stores at most ${MAX_DATA_BYTES} bytes (1 MiB) in one ConfigMap or Secret`,
          'keep connections and variables in a secrets backend (connections.fromSsmPath, variables.fromSsmPath) instead of the spec',
        );
      const annotations = Object.entries(object.metadata?.annotations ?? {}).reduce((sum, [k, v]) => sum + bytes(k) + bytes(v), 0);
      if (annotations > MAX_ANNOTATION_BYTES)
        ctx.report(
          'error',
          'AFC3412',
          [],
          `${what} has ${annotations} bytes of annotations; Kubernetes accepts at most ${MAX_ANNOTATION_BYTES} bytes (256 KiB) on one object`,
          'shorten the annotations the spec adds (targets.*.ingress.annotations, overrides), or keep the data in a ConfigMap instead',
        );
    }
  }
}
