import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, KnownFinding, KNOWN_FINDINGS } from './acknowledgements';
import { checkSameRegion } from './api-environment';
import { LOG_BUCKET_DEFAULTS } from './defaults/s3';
import { checkResource } from './validation';
import { BulwarkError } from '../core/errors';

/*
 * The log buckets the library creates (load balancer access logs, S3 server access logs) and the
 * checks a brought one passes. AWS's log deliveries write only to SSE-S3 buckets in their own region.
 */

/** Who writes the logs, for messages and the KMS acknowledgement. */
export interface LogWriter {
  /** What writes, in a sentence: "load balancers write access logs". */
  readonly writes: string;
  /** The AWS page that says it, quoted in messages. */
  readonly source: string;
  /** The acknowledgement of the KMS-encryption finding (the AWS limit, with its source). */
  readonly kmsFinding: KnownFinding;
  /**
   * Whether the packs' logging rules see the bucket as a log bucket: they accept a bucket that another
   * bucket of the stack sends its server access logs to, and flag any other bucket without logs.
   */
  readonly seenAsLogBucket: boolean;
}

/** The log writers of the library. */
export const LOG_WRITERS = {
  loadBalancer: {
    writes: 'load balancers write access logs',
    source: 'ELB user guide, "Access logs for your Application Load Balancer"',
    kmsFinding: KNOWN_FINDINGS.accessLogsBucketKms,
    seenAsLogBucket: false,
  },
  serverAccessLogs: {
    writes: 'Amazon S3 delivers server access logs',
    source: 'S3 user guide, "Enabling Amazon S3 server access logging"',
    kmsFinding: KNOWN_FINDINGS.serverAccessLogsBucketKms,
    seenAsLogBucket: true,
  },
} satisfies Record<string, LogWriter>;

/**
 * A log bucket: SSE-S3 (the only encryption log deliveries write to), TLS 1.2 and up only, no public
 * access, ACLs off, versioned, retained, logs expiring after a year. Its own findings are
 * acknowledged: no access logs of a log bucket (where the packs do not see it as one) and no replica
 * (each would be another log bucket, without end), and SSE-S3 (the writer's limit).
 */
export function createLogBucket(scope: Construct, id: string, writer: LogWriter): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{
      expiration: LOG_BUCKET_DEFAULTS.expiration,
      noncurrentVersionExpiration: LOG_BUCKET_DEFAULTS.noncurrentVersionExpiration,
      abortIncompleteMultipartUploadAfter: LOG_BUCKET_DEFAULTS.abortIncompleteMultipartUpload,
    }],
  });
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  if (!writer.seenAsLogBucket) {
    acknowledge(cfn, KNOWN_FINDINGS.accessLogsBucketLogging);
  }
  acknowledge(cfn, KNOWN_FINDINGS.accessLogsBucketReplication);
  acknowledge(cfn, writer.kmsFinding);
  return bucket;
}

/**
 * Refuses a brought log bucket the writer cannot deliver to: not a bucket, encrypted with KMS
 * (a key, KMS-managed or DSSE), or in another region.
 */
export function checkLogBucket(scope: IConstruct, prop: string, bucket: s3.IBucket | undefined, writer: LogWriter): void {
  checkResource(scope, prop, bucket, 'bucketName', 'an S3 bucket (s3.IBucket)');
  if (bucket === undefined) {
    return;
  }
  const cfn = bucket.node.defaultChild;
  const algorithms = cfn instanceof s3.CfnBucket
    ? JSON.stringify(Stack.of(scope).resolve(cfn.bucketEncryption) ?? {}).match(/aws:kms(:dsse)?/g) ?? [] : [];
  if (bucket.encryptionKey !== undefined || algorithms.length > 0) {
    throw BulwarkError.invalid(scope, prop, bucket.node.path, `it is encrypted with KMS, and ${writer.writes} only to buckets encrypted `
      + `with SSE-S3 (${writer.source}); give an SSE-S3 bucket, or leave ${prop} out for one created here`);
  }
  checkSameRegion(scope, prop, bucket.node.path, bucket.env.region, `${writer.writes} only to a bucket in the same region`);
  const account = bucket.env.account;
  const stackAccount = Stack.of(scope).account;
  if (!Token.isUnresolved(account) && !Token.isUnresolved(stackAccount) && account !== stackAccount) {
    throw BulwarkError.invalid(scope, prop, bucket.node.path, `it is in account ${account}, but this stack deploys to ${stackAccount}: `
      + `${writer.writes} only to a bucket of the same account`);
  }
}
