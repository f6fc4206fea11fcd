import { Annotations, App, AppProps, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { CompliancePolicy, ComplianceProfile } from '../../src';

/** Feature flag sets every construct is tested under: none, and CDK's currently recommended ones. */
export const FLAG_SETS: Record<string, Record<string, unknown>> = {
  'no feature flags': {},
  'recommended feature flags': { ...CURRENTLY_RECOMMENDED_FLAGS },
};

/** CloudFormation Validate findings (warnings included) fail synthesis, as in a construct library's CI. */
export const STRICT_VALIDATION_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:strictCfnValidateErrors': true,
};

/**
 * What the test account tells the library: an established account's Lambda concurrency quota of
 * 1,000 (context `cdk-bulwark:lambdaConcurrencyQuota`). With it, reserved concurrency is checked at
 * synthesis instead of warned about in every stack that reserves some; the warning without it is
 * tested in test/function/reserved-concurrency.test.ts.
 */
export const TEST_ACCOUNT_CONTEXT = {
  'cdk-bulwark:lambdaConcurrencyQuota': 1000,
};

/** An app with strict CloudFormation Validate, the test account's context and the given feature flags. */
export function testApp(flags: Record<string, unknown> = {}, props: AppProps = {}): App {
  return new App({ ...props, context: { ...flags, ...STRICT_VALIDATION_CONTEXT, ...TEST_ACCOUNT_CONTEXT, ...props.context } });
}

/** A stack in a concrete environment (some resources, e.g. ALB logging, need a region). */
export function testStack(app: App = testApp(), id = 'TestStack', props: StackProps = {}): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region: 'eu-west-1' }, ...props });
}

/** Inline handler code that reports no batch item failures. */
export const INLINE_CODE = lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });');

/** The warning Monitoring gives when nobody subscribes to its alarm topic. */
export const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers';

/** SQS's 14-day maximum retention, in seconds. */
export const FOURTEEN_DAYS = 14 * 24 * 3600;

/**
 * A stack in a test app with the given feature flags and default profile. Unless told otherwise it
 * acknowledges the no-subscribers warning (Monitoring's own tests cover it): the recommended flags
 * turn warnings into synthesis failures.
 */
export function newStack(flags: Record<string, unknown> = {}, profile?: ComplianceProfile, acknowledgeNoSubscribers = true): Stack {
  const stack = testStack(testApp(flags));
  if (profile) {
    CompliancePolicy.setDefaultProfile(stack, profile);
  }
  if (acknowledgeNoSubscribers) {
    Annotations.of(stack).acknowledgeWarning(NO_SUBSCRIBERS, 'subscriptions are tested with Monitoring');
  }
  return stack;
}

/** What `build` throws (undefined when it throws nothing), for tests that check more than the message. */
export function thrownBy(build: () => void): unknown {
  try {
    build();
  } catch (e) {
    return e;
  }
  return undefined;
}
