import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** Secure defaults for every Lambda function the library creates (DESIGN.md §2). */
export const LAMBDA_DEFAULTS = {
  /** Pinned per library release; the newest Node.js runtime the peer-floor aws-cdk-lib knows. */
  runtime: lambda.Runtime.NODEJS_24_X,
  /** Graviton: ~20% cheaper per GB-second than x86_64. */
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(30),
  /** Lambda's own default is 2; stated explicitly so the template says what happens. */
  asyncRetryAttempts: 2,
  /** Lambda's own default is 6 hours; stated explicitly. */
  asyncMaxEventAge: Duration.hours(6),
  applicationLogLevel: lambda.ApplicationLogLevel.INFO,
  systemLogLevel: lambda.SystemLogLevel.WARN,
  /** REGULATED: reserved concurrency when neither the user nor an event source sets one. */
  regulatedReservedConcurrency: 10,
} as const;

/** Environment variable names the Lambda runtime sets itself; a function cannot set them. */
export const LAMBDA_RESERVED_ENVIRONMENT: readonly string[] = [
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
];

/** AWS Lambda limits the library checks against (Lambda developer guide, "Lambda quotas" and "Configuring reserved concurrency"). */
export const LAMBDA_LIMITS = {
  /** A function's description, in characters. */
  maxDescriptionLength: 256,
  /** Lambda keeps at least this much of the account's regional concurrency quota unreserved: at most quota - 100 can be reserved. */
  unreservedConcurrencyMinimum: 100,
} as const;

/** Context keys users set (cdk.json, App context, `cdk synth -c`) to tell the library about their account. */
export const LAMBDA_CONTEXT = {
  /** The reservation REGULATED gives each function that sets none (default 10; 0 reserves none). */
  reservedConcurrency: 'cdk-bulwark:reservedConcurrency',
  /** The account's regional Lambda concurrency quota ("Concurrent executions"), to check reservations against at synthesis. */
  concurrencyQuota: 'cdk-bulwark:lambdaConcurrencyQuota',
} as const;
