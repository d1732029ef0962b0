import { GetAtt, Ref } from '../../compiler/emit/intrinsic.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import { MANAGED_DATABASE } from '../../compiler/airflow/settings.ts';
import { tags, type Resources } from './cfn.ts';
import { admitTasks, type EcsNetwork } from './network.ts';

export const REDIS_PORT = 6379;

/**
 * An encrypted RDS PostgreSQL instance, private, protected from deletion,
 * snapshotted when deleted or replaced. Its master password is the SSM
 * parameter of `database.managed.password`, through a dynamic reference:
 * CloudFormation reads it at deploy time, the template never holds it.
 */
export function database(model: Model, network: EcsNetwork, identifier: string): Resources {
  const db = model.database;
  if (db.kind !== 'managed') return {};
  return {
    DatabaseSecurityGroup: admitTasks(model, network, 'database', 5432),
    DatabaseSubnetGroup: {
      Type: 'AWS::RDS::DBSubnetGroup',
      Properties: { DBSubnetGroupDescription: `${model.name} Airflow metadata database`, SubnetIds: network.subnetIds, Tags: tags(model.name, 'database') },
    },
    Database: {
      Type: 'AWS::RDS::DBInstance',
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: {
        DBInstanceIdentifier: identifier,
        Engine: 'postgres',
        EngineVersion: db.version,
        DBInstanceClass: db.instanceClass,
        AllocatedStorage: String(db.storageGb),
        StorageType: 'gp3',
        StorageEncrypted: true,
        DBName: MANAGED_DATABASE.name,
        MasterUsername: MANAGED_DATABASE.user,
        MasterUserPassword: `{{resolve:ssm-secure:${db.password!.ssm}}}`,
        DBSubnetGroupName: Ref('DatabaseSubnetGroup'),
        VPCSecurityGroups: [GetAtt('DatabaseSecurityGroup', 'GroupId')],
        PubliclyAccessible: false,
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
        CopyTagsToSnapshot: true,
        Tags: tags(model.name, 'database'),
      },
    },
  };
}

/** ElastiCache Redis as the Celery broker, encrypted at rest and in transit. */
export function broker(model: Model, network: EcsNetwork, identifier: string): Resources {
  if (model.airflow.executor !== 'CeleryExecutor' || model.broker?.kind !== 'managed') return {};
  return {
    RedisSecurityGroup: admitTasks(model, network, 'redis', REDIS_PORT),
    RedisSubnetGroup: { Type: 'AWS::ElastiCache::SubnetGroup', Properties: { Description: `${model.name} Celery broker`, SubnetIds: network.subnetIds } },
    Redis: {
      Type: 'AWS::ElastiCache::ReplicationGroup',
      Properties: {
        ReplicationGroupId: identifier,
        ReplicationGroupDescription: `${model.name} Celery broker`,
        Engine: 'redis',
        CacheNodeType: model.broker.nodeType,
        NumCacheClusters: 1,
        AutomaticFailoverEnabled: false,
        AtRestEncryptionEnabled: true,
        TransitEncryptionEnabled: true,
        CacheSubnetGroupName: Ref('RedisSubnetGroup'),
        SecurityGroupIds: [GetAtt('RedisSecurityGroup', 'GroupId')],
        Tags: tags(model.name, 'redis'),
      },
    },
  };
}

/** EFS for DAGs synced from S3 once for all tasks (as the seed did), with an access point as the Airflow user. */
export function dagsFileSystem(model: Model, network: EcsNetwork): Resources {
  const [uid, gid] = [String(OFFICIAL_IMAGE.uid), String(OFFICIAL_IMAGE.gid)];
  const resources: Resources = {
    DagsSecurityGroup: admitTasks(model, network, 'dags', 2049),
    DagsFileSystem: {
      Type: 'AWS::EFS::FileSystem',
      Properties: { Encrypted: true, PerformanceMode: 'generalPurpose', FileSystemTags: [{ Key: 'Name', Value: `${model.name}-dags` }] },
    },
    DagsAccessPoint: {
      Type: 'AWS::EFS::AccessPoint',
      Properties: {
        FileSystemId: Ref('DagsFileSystem'),
        PosixUser: { Uid: uid, Gid: gid },
        RootDirectory: { Path: '/dags', CreationInfo: { OwnerUid: uid, OwnerGid: gid, Permissions: '0755' } },
      },
    },
  };
  const ids = dagsMountTargets(network);
  network.subnetIds.forEach((subnet, i) => {
    resources[ids[i]!] = {
      Type: 'AWS::EFS::MountTarget',
      Properties: { FileSystemId: Ref('DagsFileSystem'), SubnetId: subnet, SecurityGroups: [GetAtt('DagsSecurityGroup', 'GroupId')] },
    };
  });
  return resources;
}

/** The logical ids of the DAG file system's mount targets, one per task subnet. */
export function dagsMountTargets(network: EcsNetwork): string[] {
  return network.subnetIds.map((_, i) => `DagsMountTarget${i + 1}`);
}
