// Imports the invoices the back office uploads: each SQS message is an S3 "Object Created" event that
// EventBridge delivered from the Invoices bucket. Reads the object (the worker may read invoices/ only),
// records it in the index the Reporting workgroup queries (index/, one JSON line per invoice), and
// reports the messages it could not handle, so that only those are retried.
const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({});

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
      console.log(JSON.stringify({ message: 'invoice imported', key: detail.object.key, bytes: object.ContentLength }));
    } catch (error) {
      console.error(JSON.stringify({ message: 'invoice import failed', messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
