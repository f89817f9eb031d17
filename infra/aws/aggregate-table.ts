import { Stack, aws_glue as glue } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { AggregatePlan } from '../plan/types';
import { AGGREGATE_INITIAL_RUN, AGGREGATE_SQL_PARAMETER, PARQUET_COMPRESSION } from '../shared-names';

/** Properties of an {@link AggregateTable}. */
export interface AggregateTableProps {
  /** The shared database, from the plan. */
  readonly databaseName: string;
  /** The statistics of one aggregated agreement, from the plan. */
  readonly aggregate: AggregatePlan;
  /**
   * `s3://bucket/prefix/` of the statistics' Parquet files. Each refresh writes a run under it
   * and points the table at that run; the template points at the empty initial run.
   */
  readonly location: string;
}

/** Table parameter holding the SQL that fills the table, for auditors and the refresh job. */
export { AGGREGATE_SQL_PARAMETER };

/**
 * The statistics table of one aggregated agreement in the shared zone: the only table its
 * consumer is granted. Its columns and SQL come from the plan (`infra/plan/aggregate.ts`).
 */
export class AggregateTable extends Construct {
  /** The table resource. */
  readonly table: glue.CfnTable;

  constructor(scope: Construct, id: string, props: AggregateTableProps) {
    super(scope, id);
    const a = props.aggregate;
    this.table = new glue.CfnTable(this, 'Resource', {
      catalogId: Stack.of(this).account,
      databaseName: props.databaseName,
      tableInput: {
        name: a.table,
        description: `Statistics (${a.grain}) of ${a.source.table}; cells of fewer than ${a.k} member companies are absent`,
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'parquet.compression': PARQUET_COMPRESSION, [AGGREGATE_SQL_PARAMETER]: a.sql },
        storageDescriptor: {
          // Not the base prefix: it holds every kept run, and a table reading it would count each cell twice.
          location: `${props.location}${AGGREGATE_INITIAL_RUN}`,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: { 'serialization.format': '1' } },
          columns: a.columns.map((c) => ({ name: c.name, type: c.glueType })),
          compressed: true,
          storedAsSubDirectories: false,
        },
      },
    });
  }
}
