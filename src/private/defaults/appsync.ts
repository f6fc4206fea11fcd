import { Duration } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';

/** Defaults and limits of AppSync GraphQL APIs (AppSync API reference, CreateGraphqlApi, CreateApiKey, CreateApiCache). */
export const APPSYNC_DEFAULTS = {
  /** Errors only: each failed field with its resolver's request and response (no data of fields that worked). */
  fieldLogLevel: appsync.FieldLogLevel.ERROR,
  /** A query nests at most 10 levels: deep enough for real screens, shallow enough to stop recursive abuse. */
  queryDepthLimit: 10,
  /** At most 1,000 resolver calls per request: a page of 100 items with a few resolved fields each. */
  resolverCountLimit: 1000,
  /** Cached answers live 5 minutes. */
  cacheTtl: Duration.minutes(5),
} as const;

/** What AppSync accepts. */
export const APPSYNC_LIMITS = {
  queryDepthLimit: { min: 1, max: 75 },
  resolverCountLimit: { min: 1, max: 10000 },
  /** AppSync's 1 to 365 days count from the deployment: a day more at the low end leaves time to deploy. */
  apiKeyExpiry: { min: Duration.days(2), max: Duration.days(365) },
  cacheTtl: { min: Duration.seconds(1), max: Duration.hours(1) },
  authorizerResultsCacheTtl: { min: Duration.seconds(0), max: Duration.hours(1) },
} as const;

/** Alarm defaults of a SecureGraphqlApi. */
export const APPSYNC_ALARM_DEFAULTS = {
  /** Any 5XX in 3 consecutive minutes: AppSync answers resolver failures with 200, so a 5XX is AppSync failing. */
  serverErrors: { threshold: 0, period: Duration.minutes(1), evaluationPeriods: 3 },
  /** More than 50 4XX a minute for 5 minutes. */
  clientErrors: { threshold: 50, period: Duration.minutes(1), evaluationPeriods: 5 },
} as const;
