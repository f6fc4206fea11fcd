// Imports the invoices the back office uploads: each SQS message is an S3 "Object Created" event that
// EventBridge delivered from the Invoices bucket. Reads the object (the worker may read invoices/ only),
// records it in the index the Reporting workgroup queries (index/, one JSON line per invoice), books it
// in the finance ledger (ServerlessDatabase 'Ledger', through the Data API), and reports the messages it
// could not handle, so that only those are retried.
const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
const { RDSDataClient, ExecuteStatementCommand } = require('@aws-sdk/client-rds-data');

const s3 = new S3Client({});
const rdsData = new RDSDataClient({});

/** One statement in the ledger (LEDGER_CLUSTER_ARN, LEDGER_SECRET_ARN, LEDGER_DATABASE). */
function ledger(sql, parameters = []) {
  return rdsData.send(new ExecuteStatementCommand({
    resourceArn: process.env.LEDGER_CLUSTER_ARN,
    secretArn: process.env.LEDGER_SECRET_ARN,
    database: process.env.LEDGER_DATABASE,
    sql,
    parameters,
  }));
}

// The ledger's table, made once per execution environment (a new database has none).
let ledgerReady;

/**
 * Books an invoice once: a redelivered message finds its row and changes nothing. While the ledger
 * resumes from a pause the Data API answers DatabaseResumingException: the message fails and SQS
 * delivers it again.
 */
async function book(entry) {
  ledgerReady ??= ledger('CREATE TABLE IF NOT EXISTS invoices (invoice_key text PRIMARY KEY, bytes bigint NOT NULL, imported_at timestamptz NOT NULL)')
    .catch((error) => { ledgerReady = undefined; throw error; });
  await ledgerReady;
  await ledger('INSERT INTO invoices (invoice_key, bytes, imported_at) VALUES (:key, :bytes, CAST(:at AS timestamptz)) ON CONFLICT (invoice_key) DO NOTHING', [
    { name: 'key', value: { stringValue: entry.invoice_key } },
    { name: 'bytes', value: { longValue: entry.bytes } },
    { name: 'at', value: { stringValue: entry.imported_at } },
  ]);
}

exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const { detail } = JSON.parse(record.body);
      const object = await s3.send(new GetObjectCommand({ Bucket: detail.bucket.name, Key: detail.object.key }));
      const entry = { invoice_key: detail.object.key, bytes: object.ContentLength, imported_at: new Date().toISOString() };
      await s3.send(new PutObjectCommand({
        Bucket: detail.bucket.name,
        Key: `index/${detail.object.key.replace(/^invoices\//, '')}.json`,
        Body: `${JSON.stringify(entry)}\n`,
        ContentType: 'application/json',
      }));
      await book(entry);
      console.log(JSON.stringify({ message: 'invoice imported', key: detail.object.key, bytes: object.ContentLength }));
    } catch (error) {
      console.error(JSON.stringify({ message: 'invoice import failed', messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
