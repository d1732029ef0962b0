import { envReference } from './expansion.ts';
import type {
  V1EnvVar,
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicySpec,
  V1Probe,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { Model } from '../../compiler/normalize/model.ts';
import { MANAGED_DATABASE } from '../../compiler/airflow/settings.ts';
import { postgresImage, REDIS_IMAGE } from '../../compiler/images/official-images.ts';
import { postgresDataLayout } from '../../compiler/postgres/image.ts';
import { CONTAINER_SECURITY, metadata, names, selector, type ClusterSettings } from './cluster.ts';
import type { K8sObject } from './workloads.ts';

export const REDIS_PORT = 6379;
export const POSTGRES_PORT = 5432;
/** Key of the credentials Secret with the managed database's password. */
export const POSTGRES_PASSWORD = 'postgres.password';
/** Key of the credentials Secret with the in-cluster Redis' password. */
export const REDIS_PASSWORD = 'redis.password';
/** The in-cluster Redis' volume claim: the Helm chart's `redis.persistence.size`. */
const REDIS_STORAGE = '1Gi';
/** The images' own non-root users. */
const REDIS_USER = 999;
const POSTGRES_USER = 999;

/** client-node calls `from` `_from` (its serializer renames it); afc writes the API's own name. */
type IngressRule = Omit<V1NetworkPolicyIngressRule, '_from'> & { from?: V1NetworkPolicyPeer[] };
type NetworkPolicy = Omit<V1NetworkPolicy, 'spec'> & { spec: Omit<V1NetworkPolicySpec, 'ingress'> & { ingress: IngressRule[] } };

/**
 * Redis for a managed Celery broker: a StatefulSet whose data (the queued
 * Celery messages, saved on shutdown and at Redis' default save points)
 * lives on a volume claim of REDIS_STORAGE, and which requires
 * `broker.managed.password` when the spec gives one. The password reaches
 * Redis and its probes by key from the credentials Secret, never in the
 * manifests: `--requirepass $(REDIS_PASSWORD)` is expanded by the kubelet,
 * and redis-cli reads REDISCLI_AUTH. The NetworkPolicy admits only this
 * deployment's Airflow pods, where the cluster enforces policies (on EKS,
 * only with the VPC CNI's network policy agent turned on).
 */
export function redis(model: Model, settings: ClusterSettings): K8sObject[] {
  if (model.airflow.executor !== 'CeleryExecutor' || model.broker?.kind !== 'managed') return [];
  const n = names(model);
  const ping: V1Probe = { exec: { command: ['redis-cli', 'ping'] }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 5 };
  const password = model.broker.password ? { secretKeyRef: { name: n.credentials, key: REDIS_PASSWORD } } : undefined;
  const statefulSet: V1StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata(model, settings, n.redis, 'redis'),
    spec: {
      serviceName: n.redis,
      replicas: 1,
      selector: { matchLabels: selector(model, 'redis') },
      template: {
        metadata: { labels: metadata(model, settings, n.redis, 'redis').labels ?? {} },
        spec: {
          securityContext: {
            runAsUser: REDIS_USER,
            runAsGroup: REDIS_USER,
            fsGroup: REDIS_USER,
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'redis',
              image: REDIS_IMAGE,
              ...(password
                ? {
                    args: ['redis-server', '--requirepass', envReference('REDIS_PASSWORD')],
                    env: [
                      { name: 'REDIS_PASSWORD', valueFrom: password },
                      { name: 'REDISCLI_AUTH', valueFrom: password },
                    ],
                  }
                : {}),
              ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
              livenessProbe: ping,
              readinessProbe: ping,
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
          ],
          // Celery's queued messages are in Redis: give it time to save on shutdown.
          terminationGracePeriodSeconds: 600,
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: REDIS_STORAGE } } } }],
    },
  };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(model, settings, n.redis, 'redis'),
    spec: { type: 'ClusterIP', selector: selector(model, 'redis'), ports: [{ name: 'redis', port: REDIS_PORT, targetPort: 'redis', protocol: 'TCP' }] },
  };
  const onlyAirflow: NetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(model, settings, n.redis, 'redis'),
    spec: {
      podSelector: { matchLabels: selector(model, 'redis') },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': model.name, 'app.kubernetes.io/name': 'airflow' } } }],
          ports: [{ port: REDIS_PORT, protocol: 'TCP' }],
        },
      ],
    },
  };
  return [statefulSet, service, onlyAirflow];
}

/** A development Postgres inside the cluster (the kubernetes target, managed database), with its data on a volume claim. */
export function postgres(model: Model, settings: ClusterSettings): K8sObject[] {
  if (model.database.kind !== 'managed') return [];
  const n = names(model);
  const password: V1EnvVar = model.database.password
    ? { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: n.credentials, key: POSTGRES_PASSWORD } } }
    : { name: 'POSTGRES_PASSWORD', value: MANAGED_DATABASE.user };
  const ready: V1Probe = {
    exec: { command: ['pg_isready', '-U', MANAGED_DATABASE.user] },
    initialDelaySeconds: 5,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
  // A fresh claim's root holds lost+found, which initdb refuses: PGDATA must be a folder under the mount (it is from 18 on).
  const layout = postgresDataLayout(model.database.version);
  const pgdata = layout.pgdata === layout.mountPath ? `${layout.mountPath}/pgdata` : layout.pgdata;
  const statefulSet: V1StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata(model, settings, n.postgres, 'postgres'),
    spec: {
      serviceName: n.postgres,
      replicas: 1,
      selector: { matchLabels: selector(model, 'postgres') },
      template: {
        metadata: { labels: metadata(model, settings, n.postgres, 'postgres').labels ?? {} },
        spec: {
          securityContext: {
            runAsUser: POSTGRES_USER,
            runAsGroup: POSTGRES_USER,
            fsGroup: POSTGRES_USER,
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'postgres',
              image: postgresImage(model.database.version),
              env: [
                { name: 'POSTGRES_DB', value: MANAGED_DATABASE.name },
                { name: 'POSTGRES_USER', value: MANAGED_DATABASE.user },
                password,
                { name: 'PGDATA', value: pgdata },
              ],
              ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
              resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
              volumeMounts: [{ name: 'data', mountPath: layout.mountPath }],
              livenessProbe: ready,
              readinessProbe: ready,
              securityContext: CONTAINER_SECURITY,
            },
          ],
        },
      },
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${model.database.storageGb}Gi` } } } },
      ],
    },
  };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(model, settings, n.postgres, 'postgres'),
    spec: {
      type: 'ClusterIP',
      selector: selector(model, 'postgres'),
      ports: [{ name: 'postgres', port: POSTGRES_PORT, targetPort: 'postgres', protocol: 'TCP' }],
    },
  };
  return [statefulSet, service];
}
