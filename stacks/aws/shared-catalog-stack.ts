import { CfnResource, CfnWaitConditionHandle, Stack, Tags, aws_lakeformation as lakeformation, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AggregateTable, DatasetTable, DEFAULT_COST_SPLIT, PLATFORM_OWNER, TAG } from '../../infra/aws';
import { maxPii, type CooperativePlan, type TenancyPlan } from '../../infra';
import { INGESTION_TABLE_PERMISSIONS, STATS_TABLE_PERMISSIONS, withoutSharedCopy } from './cooperative-stack';

/** Properties of a {@link SharedCatalogStack}. */
export interface SharedCatalogStackProps extends StackProps {
  readonly plan: TenancyPlan;
  /** Cooperatives of one cell whose shared tables this stack holds. */
  readonly cooperatives: readonly CooperativePlan[];
}

/**
 * Shared tables and statistics tables (aggregated agreements) of some cooperatives of one
 * cell, in the data-lake account's shared Glue database, with the Lake Formation grants on them: SELECT on the agreed columns to each
 * consumer's role, and ALTER/DESCRIBE/INSERT to the cooperative's ingestion role in its
 * cell (a cross-account grant to a principal named by the ARN the plan derives). Split from
 * the cell's zone stack so that no template nears CloudFormation's 500 resources.
 */
export class SharedCatalogStack extends Stack {
  /** Shared tables by table name. */
  readonly tables: ReadonlyMap<string, DatasetTable>;

  constructor(scope: Construct, id: string, props: SharedCatalogStackProps) {
    super(scope, id, props);
    const { plan } = props;
    const p = plan.platform;
    const consumerRole = new Map(p.consumers.map((c) => [c.id, c.role]));
    const roleArn = (account: string, name: string) => `arn:${this.partition}:iam::${account}:role/${name}`;
    const tables = new Map<string, DatasetTable>();
    for (const coop of props.cooperatives) {
      for (const t of p.sharedZone.tables.filter((x) => x.cooperative === coop.id)) {
        const dataset = coop.datasets.find((d) => d.name === t.dataset);
        if (!dataset) throw new Error(`shared table ${t.name}: ${coop.id} has no dataset "${t.dataset}"`);
        // Cooperative ids and dataset names are permanent, so they may name constructs.
        const table = new DatasetTable(this, `SharedTable-${coop.id}-${t.dataset}`, {
          databaseName: p.sharedZone.database,
          tableName: t.name,
          location: `s3://${t.bucket}/${t.name}/`,
          // The ingestion reads the dataset plan from the curated table only.
          dataset: withoutSharedCopy(dataset),
          columns: t.columns,
        });
        tables.set(t.name, table);
        new lakeformation.CfnPrincipalPermissions(this, `IngestionGrant-${coop.id}-${t.dataset}`, {
          catalog: this.account,
          principal: { dataLakePrincipalIdentifier: roleArn(coop.account, coop.cloud.roles.ingestion) },
          resource: { table: { catalogId: this.account, databaseName: p.sharedZone.database, name: t.name } },
          permissions: [...INGESTION_TABLE_PERMISSIONS],
          permissionsWithGrantOption: [],
        }).addResourceDependency(table.table);
      }
      // Statistics tables of aggregated agreements: the only tables their consumers are granted.
      const aggregates = new Map<string, AggregateTable>();
      for (const g of plan.grants) {
        if (g.cooperative !== coop.id || !g.aggregate) continue;
        const table = new AggregateTable(this, `AggregateTable-${coop.id}-${g.dataset}-${g.consumer}`, {
          databaseName: p.sharedZone.database,
          aggregate: g.aggregate,
          location: `s3://${coop.cloud.sharedBucket}/${g.aggregate.table}/`,
        });
        aggregates.set(g.aggregate.table, table);
        // The cooperative's statistics role (in its cell) reads and repoints the table after each run.
        new lakeformation.CfnPrincipalPermissions(this, `StatsTableGrant-${coop.id}-${g.dataset}-${g.consumer}`, {
          catalog: this.account,
          principal: { dataLakePrincipalIdentifier: roleArn(coop.account, g.aggregate.refresh.role) },
          resource: { table: { catalogId: this.account, databaseName: p.sharedZone.database, name: g.aggregate.table } },
          permissions: [...STATS_TABLE_PERMISSIONS],
          permissionsWithGrantOption: [],
        }).addResourceDependency(table.table);
      }
      for (const g of plan.grants.filter((x) => x.cooperative === coop.id && x.catalog === this.account)) {
        const roleName = consumerRole.get(g.consumer);
        if (!roleName) throw new Error(`grant ${g.source}: consumer "${g.consumer}" is not in the plan`);
        const grant = new lakeformation.CfnPrincipalPermissions(this, `Grant-${coop.id}-${g.consumer}-${g.dataset}-${g.level}`, {
          catalog: this.account,
          principal: { dataLakePrincipalIdentifier: roleArn(p.account, roleName) },
          resource: { tableWithColumns: { catalogId: this.account, databaseName: g.database, name: g.table, columnNames: [...g.grantedColumns] } },
          permissions: ['SELECT'],
          permissionsWithGrantOption: [],
        });
        const local = tables.get(g.table) ?? aggregates.get(g.table);
        if (local) grant.addResourceDependency(local.table);
      }
    }
    this.tables = tables;
    // A shard holding only offboarding cooperatives is deployed empty (its tables and grants
    // deleted); CloudFormation rejects a template without resources, so it keeps a handle.
    if (!this.node.findAll().some(CfnResource.isCfnResource)) new CfnWaitConditionHandle(this, 'Offboarded');
    Tags.of(this).add(TAG.cooperative, PLATFORM_OWNER);
    Tags.of(this).add(TAG.costCenter, PLATFORM_OWNER);
    Tags.of(this).add(TAG.costSplit, props.plan.platform.cost?.platform.split ?? DEFAULT_COST_SPLIT);
    Tags.of(this).add(TAG.classification, maxPii(props.cooperatives.map((c) => c.classification)));
  }
}
