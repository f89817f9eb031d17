import { Stack, aws_glue as glue } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ColumnPlan, DatasetPlan } from '../plan/types';
import { PARQUET_COMPRESSION } from '../shared-names';

/** Properties of a {@link DatasetTable}. */
export interface DatasetTableProps {
  /** Glue database name, from the plan. */
  readonly databaseName: string;
  /** Table name, from the plan. */
  readonly tableName: string;
  /** `s3://bucket/prefix/` the Parquet files live under. */
  readonly location: string;
  /** The dataset the table holds; its schema becomes the columns and the `coopidc:dataset` parameter. */
  readonly dataset: DatasetPlan;
  /**
   * Columns of the table.
   * @default - the dataset's columns
   */
  readonly columns?: readonly ColumnPlan[];
  /** Optional description. @default - the dataset's description */
  readonly description?: string;
}

/**
 * The compression the ingestion's Parquet writer uses (lambdas/domain/parquet.ts, native
 * zlib), declared on every table so the catalog says what the files hold.
 */
export { PARQUET_COMPRESSION };

/** Table parameter holding the dataset plan, read by the ingestion Lambda at run time. */
export const DATASET_PARAMETER = 'coopidc:dataset';

const PARQUET = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
} as const;

/**
 * A Glue table of Parquet files partitioned by `dt` (YYYY-MM-DD, string), derived from a
 * dataset's schema. The dataset plan travels with the table as a parameter so the
 * ingestion Lambda reads one source of truth at run time instead of a copy in its bundle.
 */
export class DatasetTable extends Construct {
  /** The table resource. */
  readonly table: glue.CfnTable;
  /** ARN of the table, for IAM policies. */
  readonly tableArn: string;

  constructor(scope: Construct, id: string, props: DatasetTableProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const columns = props.columns ?? props.dataset.columns;
    const description = props.description ?? props.dataset.description;
    this.table = new glue.CfnTable(this, 'Resource', {
      catalogId: stack.account,
      databaseName: props.databaseName,
      tableInput: {
        name: props.tableName,
        ...(description !== undefined ? { description } : {}),
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'parquet',
          EXTERNAL: 'TRUE',
          'parquet.compression': PARQUET_COMPRESSION,
          [DATASET_PARAMETER]: JSON.stringify(props.dataset),
        },
        partitionKeys: props.dataset.partitionKeys.map((name) => ({ name, type: 'string' })),
        storageDescriptor: {
          location: props.location,
          inputFormat: PARQUET.inputFormat,
          outputFormat: PARQUET.outputFormat,
          serdeInfo: { serializationLibrary: PARQUET.serde, parameters: { 'serialization.format': '1' } },
          columns: columns.map((c) => ({ name: c.name, type: c.glueType, ...(c.description !== undefined ? { comment: c.description } : {}) })),
          compressed: true,
          storedAsSubDirectories: false,
        },
      },
    });
    this.tableArn = stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${props.databaseName}/${props.tableName}` });
  }
}
