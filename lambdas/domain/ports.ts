/**
 * The two outside services ingestion talks to, as small interfaces: object storage and the
 * data catalog. Adapters for S3 and Glue live in lambdas/adapters; tests use s3rver for the
 * first and {@link InMemoryCatalog} for the second (Glue cannot run here).
 */
import type { DatasetPlan, TenancyPlan } from '../../infra/plan/types';
import { Names } from '../../infra/plan/names';

/** One object read from storage. */
export interface StoredObject {
  readonly body: AsyncIterable<Uint8Array>;
  readonly contentType?: string;
  readonly size?: number;
}

/** Object storage as ingestion needs it. Implementations throw `RetryableError` for transient faults. */
export interface ObjectStore {
  get(bucket: string, key: string, versionId?: string): Promise<StoredObject>;
  /** Uploads a local file, with its tags in the same request; the object appears whole, tagged, or not at all. */
  putFile(bucket: string, key: string, path: string, contentType: string, tags?: Readonly<Record<string, string>>): Promise<void>;
  putText(bucket: string, key: string, text: string, contentType: string): Promise<void>;
  exists(bucket: string, key: string): Promise<boolean>;
}

/**
 * Where dataset definitions come from and where partitions are registered. In AWS: the Glue
 * table parameter `coopidc:dataset` holds `JSON.stringify(DatasetPlan)`.
 */
export interface DatasetCatalog {
  /** The dataset behind a table, or undefined when the table does not exist. */
  getDataset(database: string, table: string): Promise<DatasetPlan | undefined>;
  /** Registers a `dt` partition; registering an existing one is not an error. */
  addPartition(database: string, table: string, dt: string, location: string): Promise<void>;
}

/** The Glue table parameter that carries the dataset definition. */
export const DATASET_PARAMETER = 'coopidc:dataset';

/** The shared-zone table (and S3 prefix) of a cooperative's dataset, by the plan's naming rule. */
export function sharedTableName(coop: string, dataset: string): string {
  // sharedTable does not depend on the environment; the context is required by the constructor only.
  return new Names({ env: '', account: '', region: '' }).sharedTable(coop, dataset);
}

/** A catalog held in memory, built from a tenancy plan; records the partitions added. */
export class InMemoryCatalog implements DatasetCatalog {
  private readonly tables = new Map<string, DatasetPlan>();
  /** `database.table` → sorted partition values → location. */
  readonly partitions = new Map<string, Map<string, string>>();

  /** Registers every cooperative table and shared table of a plan, as the stacks would. */
  static fromPlan(plan: TenancyPlan): InMemoryCatalog {
    const cat = new InMemoryCatalog();
    for (const coop of plan.cooperatives) {
      for (const d of coop.datasets) {
        cat.put(coop.cloud.database, d.table, d);
        if (d.sharedColumns) cat.put(plan.platform.sharedZone.database, sharedTableName(coop.id, d.name), d);
      }
    }
    return cat;
  }

  /** Adds or replaces a table's dataset definition. */
  put(database: string, table: string, dataset: DatasetPlan): void {
    // Round-trip through JSON exactly as the Glue parameter does.
    this.tables.set(`${database}.${table}`, JSON.parse(JSON.stringify(dataset)) as DatasetPlan);
  }

  async getDataset(database: string, table: string): Promise<DatasetPlan | undefined> {
    return this.tables.get(`${database}.${table}`);
  }

  async addPartition(database: string, table: string, dt: string, location: string): Promise<void> {
    const key = `${database}.${table}`;
    if (!this.tables.has(key)) throw new Error(`no table ${key}`);
    let m = this.partitions.get(key);
    if (!m) this.partitions.set(key, (m = new Map()));
    if (!m.has(dt)) m.set(dt, location);
  }
}
