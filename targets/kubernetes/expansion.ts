/**
 * The kubelet expands `$(NAME)` in a container's `command`, `args` and each
 * `env[].value` from the container's environment, and reads `$$` as one `$`
 * (io.k8s.api.core.v1 Container `command`/`args` and EnvVar `value`: "Double
 * $$ are reduced to a single $, which allows for escaping the $(VAR_NAME)
 * syntax"; docs/airflow-facts.md §15). Every string afc writes there goes through
 * {@link literal}; the references it means are made by {@link envReference}
 * alone.
 */

/** Text the kubelet passes on unchanged: every `$` doubled. */
export function literal(text: string): string {
  return text.replace(/\$/g, '$$$$');
}

/** `$(NAME)`: the value of the container's variable NAME, which the kubelet puts in its place. */
export function envReference(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`${name} is not a variable name`);
  return `$(${name})`;
}
