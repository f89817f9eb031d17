/**
 * {@link AggregateCatalog} on AWS Glue: the statistics tables live in the data-lake account's
 * catalog, reached by its id (Lake Formation grants the statistics role DESCRIBE and ALTER).
 */
import { EntityNotFoundException, GetTableCommand, UpdateTableCommand, type GlueClient, type Table, type TableInput } from '@aws-sdk/client-glue';
import { AGGREGATE_SQL_PARAMETER } from '../../infra/shared-names';
import type { AggregateCatalog, AggregateTableState } from '../domain/refresh';
import { classify, ConfigurationError } from '../domain/errors';

/** Glue implementation of the statistics catalog port. */
export class GlueAggregateCatalog implements AggregateCatalog {
  constructor(private readonly glue: Pick<GlueClient, 'send'>, private readonly catalogId: string) {}

  async getTable(database: string, table: string): Promise<AggregateTableState | undefined> {
    const t = await this.read(database, table);
    if (!t) return undefined;
    const location = t.StorageDescriptor?.Location;
    if (!location) throw new ConfigurationError(`Glue table ${database}.${table} has no storage location`);
    return { sql: t.Parameters?.[AGGREGATE_SQL_PARAMETER] ?? '', location };
  }

  async setLocation(database: string, table: string, location: string): Promise<void> {
    const t = await this.read(database, table);
    if (!t?.StorageDescriptor) throw new ConfigurationError(`Glue table ${database}.${table} does not exist or has no storage descriptor`);
    try {
      await this.glue.send(new UpdateTableCommand({
        CatalogId: this.catalogId,
        DatabaseName: database,
        TableInput: { ...tableInput(t), StorageDescriptor: { ...t.StorageDescriptor, Location: location } },
        // Each refresh would otherwise keep a table version; the schedule makes hundreds a year.
        SkipArchive: true,
      }));
    } catch (e) {
      classify(e, `pointing ${database}.${table} at ${location}`);
    }
  }

  private async read(database: string, table: string): Promise<Table | undefined> {
    try {
      return (await this.glue.send(new GetTableCommand({ CatalogId: this.catalogId, DatabaseName: database, Name: table }))).Table;
    } catch (e) {
      if (e instanceof EntityNotFoundException || (e as Error).name === 'EntityNotFoundException') return undefined;
      return classify(e, `reading ${database}.${table}`);
    }
  }
}

/** The writable part of a table as GetTable returns it (UpdateTable takes a TableInput, not a Table). */
export function tableInput(t: Table): TableInput {
  return {
    Name: t.Name,
    ...(t.Description !== undefined ? { Description: t.Description } : {}),
    ...(t.Owner !== undefined ? { Owner: t.Owner } : {}),
    ...(t.Retention !== undefined ? { Retention: t.Retention } : {}),
    ...(t.StorageDescriptor !== undefined ? { StorageDescriptor: t.StorageDescriptor } : {}),
    ...(t.PartitionKeys !== undefined ? { PartitionKeys: t.PartitionKeys } : {}),
    ...(t.TableType !== undefined ? { TableType: t.TableType } : {}),
    ...(t.Parameters !== undefined ? { Parameters: t.Parameters } : {}),
  };
}
