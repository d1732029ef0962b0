import type { RunCertificates } from '../../certificates.ts';
import { postgresServer, redisServer } from '../../managed-services.ts';
import type { PodPlan } from '../../plan.ts';
import { TemplateError } from './intrinsics.ts';
import type { Stack } from './stack.ts';

/** The stack's managed data services, each a pod (translation.ts), by logical id. */
export async function readManagedServices(stack: Stack, certificates: RunCertificates): Promise<Map<string, PodPlan>> {
  const pods = new Map<string, PodPlan>();
  for (const id of stack.ofType('AWS::RDS::DBInstance')) pods.set(id, await rdsInstance(stack, id, certificates));
  for (const id of stack.ofType('AWS::ElastiCache::ReplicationGroup')) pods.set(id, await replicationGroup(stack, id, certificates));
  for (const type of ['AWS::RDS::DBCluster', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ServerlessCache']) {
    const [id] = stack.ofType(type);
    if (id) throw new TemplateError(`stack.yaml: Resources.${id}: the runtime harness does not stand in for ${type}`);
  }
  return pods;
}

/**
 * An RDS PostgreSQL instance: a PostgreSQL server under its endpoint's name,
 * with the master user, password (its dynamic reference resolved) and
 * database the template gives, serving TLS with a certificate of the run's CA
 * (standing for Amazon's RDS CA) and, as RDS's default parameter group does
 * from PostgreSQL 15 on (rds.force_ssl = 1), refusing connections without it.
 */
async function rdsInstance(stack: Stack, id: string, certificates: RunCertificates): Promise<PodPlan> {
  const where = `stack.yaml: Resources.${id}`;
  const prop = (name: string) => stack.property(id, name);
  if (prop('Engine') !== 'postgres')
    throw new TemplateError(`${where}: Engine ${String(prop('Engine'))}: the runtime harness stands in for RDS PostgreSQL only`);
  if (prop('ManageMasterUserPassword'))
    throw new TemplateError(`${where}: ManageMasterUserPassword keeps the password in Secrets Manager, which the harness does not seed`);
  const port = Number(stack.evaluate({ 'Fn::GetAtt': [id, 'Endpoint.Port'] }, where));
  if (port !== 5432) throw new TemplateError(`${where}: Port ${port}: the harness's PostgreSQL listens on 5432`);
  const user = prop('MasterUsername');
  const password = prop('MasterUserPassword');
  if (typeof user !== 'string' || typeof password !== 'string') throw new TemplateError(`${where}: MasterUsername and MasterUserPassword are required`);
  const address = String(stack.evaluate({ 'Fn::GetAtt': [id, 'Endpoint.Address'] }, where));
  return postgresServer(
    `rds-${stack.physicalId(id)}`,
    [address],
    { user, password, database: String(prop('DBName') ?? 'postgres'), tls: true, requireTls: forcesSsl(stack, id, where) },
    certificates,
  );
}

/** rds.force_ssl: the instance's parameter group's (one of the stack's), or the default group's: on from PostgreSQL 15. */
function forcesSsl(stack: Stack, id: string, where: string): boolean {
  const groupName = stack.property(id, 'DBParameterGroupName');
  if (groupName === undefined) return Number(String(stack.property(id, 'EngineVersion') ?? '16').split('.')[0]) >= 15;
  const group = stack.find('AWS::RDS::DBParameterGroup', groupName);
  if (!group) throw new TemplateError(`${where}: DBParameterGroupName ${String(groupName)} is not one of the stack's parameter groups`);
  const parameters = (stack.property(group, 'Parameters') ?? {}) as Record<string, unknown>;
  if (parameters['rds.force_ssl'] !== undefined) return String(parameters['rds.force_ssl']) === '1';
  return Number(String(stack.property(group, 'Family') ?? '').replace(/^postgres/, '')) >= 15;
}

/**
 * An ElastiCache Redis replication group without cluster mode: one Redis
 * server under its primary and reader endpoints' names, TLS only when
 * TransitEncryptionEnabled (a certificate of the run's CA for those names),
 * with its AuthToken as the password. Replicas are not run: the primary
 * serves the reader endpoint too.
 */
async function replicationGroup(stack: Stack, id: string, certificates: RunCertificates): Promise<PodPlan> {
  const where = `stack.yaml: Resources.${id}`;
  const prop = (name: string) => stack.property(id, name);
  if (!['redis', 'valkey', undefined].includes(prop('Engine') as string | undefined))
    throw new TemplateError(`${where}: Engine ${String(prop('Engine'))}: the harness stands in for Redis`);
  if (Number(prop('NumNodeGroups') ?? 1) > 1 || prop('ClusterMode') === 'enabled' || prop('ClusterMode') === 'compatible')
    throw new TemplateError(`${where}: cluster mode: the runtime harness runs one Redis node`);
  if (prop('TransitEncryptionMode') === 'preferred')
    throw new TemplateError(`${where}: TransitEncryptionMode preferred: the harness serves either TLS or plain connections`);
  if (Number(stack.evaluate({ 'Fn::GetAtt': [id, 'PrimaryEndPoint.Port'] }, where)) !== 6379)
    throw new TemplateError(`${where}: Port: the harness's Redis listens on 6379`);
  const tls = prop('TransitEncryptionEnabled') === true || prop('TransitEncryptionEnabled') === 'true';
  const password = prop('AuthToken');
  if (password !== undefined && !tls) throw new TemplateError(`${where}: AuthToken needs TransitEncryptionEnabled (ElastiCache refuses it otherwise)`);
  const names = ['PrimaryEndPoint.Address', 'ReaderEndPoint.Address'].map((a) => String(stack.evaluate({ 'Fn::GetAtt': [id, a] }, where)));
  return redisServer(`elasticache-${stack.physicalId(id)}`, names, { tls, ...(password !== undefined ? { password: String(password) } : {}) }, certificates);
}
