/** {@link QueryEngine} on Amazon Athena. */
import { GetQueryExecutionCommand, StartQueryExecutionCommand, type AthenaClient } from '@aws-sdk/client-athena';
import type { QueryEngine, QueryState } from '../domain/refresh';
import { classify } from '../domain/errors';

/** Athena implementation of the query engine port. */
export class AthenaQueryEngine implements QueryEngine {
  constructor(private readonly athena: Pick<AthenaClient, 'send'>) {}

  async start(q: { readonly sql: string; readonly token: string; readonly workgroup: string }): Promise<string> {
    try {
      const r = await this.athena.send(new StartQueryExecutionCommand({ QueryString: q.sql, ClientRequestToken: q.token, WorkGroup: q.workgroup }));
      if (!r.QueryExecutionId) throw new Error('Athena returned no query execution id');
      return r.QueryExecutionId;
    } catch (e) {
      return classify(e, `starting a query in workgroup ${q.workgroup}`);
    }
  }

  async state(queryId: string): Promise<{ readonly state: QueryState; readonly reason?: string }> {
    try {
      const s = (await this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }))).QueryExecution?.Status;
      const state = (s?.State ?? 'QUEUED') as QueryState;
      return { state, ...(s?.StateChangeReason ? { reason: s.StateChangeReason } : {}) };
    } catch (e) {
      return classify(e, `reading the state of query ${queryId}`);
    }
  }
}
