// The nightly invoice report: counts the invoices imported in the last day with an Athena query in the
// Reporting workgroup (whose configuration decides where results go and how much a query may scan),
// waits for it, and logs the answer. A failed or cancelled query fails the invocation, so the
// schedule's retries and dead-letter queue keep it.
const { AthenaClient, StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand } = require('@aws-sdk/client-athena');

const athena = new AthenaClient({});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

exports.handler = async (event, context, { pollMs = 1000 } = {}) => {
  const table = `"${process.env.DATABASE}"."${process.env.TABLE}"`;
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({
    WorkGroup: process.env.WORKGROUP,
    // The same invocation retried starts no second query (Athena takes a token once).
    ClientRequestToken: `invoice-report-${context.awsRequestId}`,
    QueryString: `SELECT count(*) AS invoices, coalesce(sum(bytes), 0) AS bytes FROM ${table} `
      + 'WHERE from_iso8601_timestamp(imported_at) >= current_timestamp - interval \'1\' day',
  }));
  for (;;) {
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    const state = QueryExecution.Status.State;
    if (state === 'SUCCEEDED') {
      break;
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new Error(`invoice report query ${QueryExecutionId} ${state}: ${QueryExecution.Status.StateChangeReason}`);
    }
    await sleep(pollMs);
  }
  const { ResultSet } = await athena.send(new GetQueryResultsCommand({ QueryExecutionId }));
  // The first row holds the column names.
  const [invoices, bytes] = ResultSet.Rows[1].Data.map((d) => Number(d.VarCharValue));
  const report = { message: 'invoice report', invoices, bytes };
  console.log(JSON.stringify(report));
  return report;
};
