import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOGS_DEFAULTS } from './defaults/logs';
import { allowKeyUser, KeyUser } from './stack-key';

/** Options of `retainedLogGroup`. */
export interface RetainedLogGroupOptions {
  /** @default LOGS_DEFAULTS.retention */
  readonly retention?: logs.RetentionDays;
  /** A customer-managed key (the stack key in REGULATED); its policy gets the CloudWatch Logs statement. @default - none */
  readonly key?: kms.IKey;
  /** Only where AWS dictates the name (execution logs, `aws-waf-logs-`). @default - generated */
  readonly logGroupName?: string;
}

/**
 * A log group as every construct of the library makes it: a retention, retained on deletion, and,
 * with a key, encrypted with it after the key policy lets CloudWatch Logs use it. A named group is
 * deleted when the deployment that created it rolls back (CloudFormation's `RetainExceptOnCreate`):
 * a retained group of a fixed name would make the retry fail with "already exists".
 */
export function retainedLogGroup(scope: Construct, id: string, options: RetainedLogGroupOptions = {}): logs.LogGroup {
  if (options.key) {
    allowKeyUser(scope, options.key, KeyUser.CLOUDWATCH_LOGS);
  }
  return new logs.LogGroup(scope, id, {
    logGroupName: options.logGroupName,
    retention: options.retention ?? LOGS_DEFAULTS.retention,
    encryptionKey: options.key,
    removalPolicy: options.logGroupName === undefined ? RemovalPolicy.RETAIN : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
}
