/**
 * What afc relies on in the official apache/airflow image (and so in any
 * image built from it), read from its Dockerfile (IMG in
 * docs/airflow-facts.md): `ARG AIRFLOW_UID="50000"`, `adduser … --uid
 * "${AIRFLOW_UID}" --gid "0"`, `USER ${AIRFLOW_UID}`, `ARG
 * AIRFLOW_HOME=/opt/airflow`, and `mkdir -pv "${AIRFLOW_HOME}/dags"` and
 * `"${AIRFLOW_HOME}/logs"`, owned by `airflow:0`. Targets take these from
 * here: none writes the image's user or a path inside it of its own.
 */
export const OFFICIAL_IMAGE = {
  /** The `airflow` user the image runs as. */
  uid: 50000,
  /** Its group: root's, so that any user OpenShift picks (group 0) can write what the image's user owns. */
  gid: 0,
  /** AIRFLOW_HOME. */
  home: '/opt/airflow',
  /** `[core] dags_folder` by default: `{AIRFLOW_HOME}/dags`. */
  dagsFolder: '/opt/airflow/dags',
  /** `[logging] base_log_folder` by default: `{AIRFLOW_HOME}/logs`. */
  logsFolder: '/opt/airflow/logs',
} as const;

/** The image's user and group as `uid:gid`, as `chown` and a container's `user` take them. */
export const IMAGE_USER = `${OFFICIAL_IMAGE.uid}:${OFFICIAL_IMAGE.gid}`;

/**
 * Where the Kubernetes executor reads its pod template: the Helm chart's path
 * under AIRFLOW_HOME (`{{airflowHome}}/pod_templates/pod_template_file.yaml`,
 * V in docs/airflow-facts.md), a folder that a ConfigMap can be mounted on.
 */
export const POD_TEMPLATE = {
  folder: `${OFFICIAL_IMAGE.home}/pod_templates`,
  file: 'pod_template_file.yaml',
  path: `${OFFICIAL_IMAGE.home}/pod_templates/pod_template_file.yaml`,
} as const;
