/**
 * {@link DatasetCatalog} on AWS Glue: the dataset definition is the table parameter
 * `coopidc:dataset`; partitions copy the table's storage descriptor with their own location.
 */
import { AlreadyExistsException, CreatePartitionCommand, EntityNotFoundException, GetTableCommand, type GlueClient, type Table } from '@aws-sdk/client-glue';
import type { DatasetPlan } from '../../infra/plan/types';
import { ConfigurationError } from '../domain/errors';
import { DATASET_PARAMETER, type DatasetCatalog } from '../domain/ports';

/** How long a table definition is reused by a warm container before it is read again. */
const TTL_MS = 5 * 60_000;

/** Glue implementation of the catalog port. */
export class GlueCatalog implements DatasetCatalog {
  private readonly tables = new Map<string, { at: number; table: Table | undefined }>();
  private readonly known = new Set<string>();

  constructor(private readonly glue: Pick<GlueClient, 'send'>, private readonly now: () => number = Date.now) {}

  async getDataset(database: string, table: string): Promise<DatasetPlan | undefined> {
    const t = await this.table(database, table);
    if (!t) return undefined;
    const json = t.Parameters?.[DATASET_PARAMETER];
    if (!json) throw new ConfigurationError(`Glue table ${database}.${table} has no "${DATASET_PARAMETER}" parameter; redeploy the cooperative's stack`);
    try {
      return JSON.parse(json) as DatasetPlan;
    } catch {
      throw new ConfigurationError(`Glue table ${database}.${table}: parameter "${DATASET_PARAMETER}" is not valid JSON`);
    }
  }

  async addPartition(database: string, table: string, dt: string, location: string): Promise<void> {
    const id = `${database}.${table}/${dt}`;
    if (this.known.has(id)) return;
    const t = await this.table(database, table);
    if (!t?.StorageDescriptor) throw new ConfigurationError(`Glue table ${database}.${table} does not exist or has no storage descriptor`);
    try {
      await this.glue.send(new CreatePartitionCommand({
        DatabaseName: database,
        TableName: table,
        PartitionInput: { Values: [dt], StorageDescriptor: { ...t.StorageDescriptor, Location: location } },
      }));
    } catch (e) {
      if (!(e instanceof AlreadyExistsException) && (e as Error).name !== 'AlreadyExistsException') throw e;
    }
    this.known.add(id);
  }

  private async table(database: string, table: string): Promise<Table | undefined> {
    const key = `${database}.${table}`;
    const hit = this.tables.get(key);
    if (hit && this.now() - hit.at < TTL_MS) return hit.table;
    let t: Table | undefined;
    try {
      t = (await this.glue.send(new GetTableCommand({ DatabaseName: database, Name: table }))).Table;
    } catch (e) {
      if (!(e instanceof EntityNotFoundException) && (e as Error).name !== 'EntityNotFoundException') throw e;
    }
    this.tables.set(key, { at: this.now(), table: t });
    return t;
  }
}
