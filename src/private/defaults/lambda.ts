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
