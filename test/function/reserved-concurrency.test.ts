import { Annotations as CdkAnnotations, App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CompliancePolicy, ComplianceProfile, SecureFunction } from '../../src';
import { handlerReservedConcurrency } from '../../src/function/handler';
import { constructContext } from '../../src/monitoring/construct-context';
import { INLINE_CODE, NO_SUBSCRIBERS, STRICT_VALIDATION_CONTEXT, testStack } from '../support/app';
import { escapeRegExp, expectProperties } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };
const WARNING = 'cdk-bulwark:function:reserved-concurrency';
const QUOTA = 'cdk-bulwark:lambdaConcurrencyQuota';
const DEFAULT = 'cdk-bulwark:reservedConcurrency';

/*
 * Reserved concurrency comes out of the account's regional concurrency quota, of which Lambda keeps
 * 100 unreserved: "You can reserve up to the Unreserved account concurrency value that is shown,
 * minus 100" (Lambda developer guide, "Configuring reserved concurrency",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html). New accounts can
 * have a quota far below the default 1,000 ("Lambda quotas"), and then REGULATED's 10 per function
 * fails the deploy. Synthesis cannot read the quota: the stack says what it reserves, or checks it
 * against the quota the user declares.
 */

/** A stack in an app without the test account's quota context (test/support/app.ts declares one). */
function stackWithout(context: Record<string, unknown> = {}, profile?: ComplianceProfile): Stack {
  const stack = testStack(new App({ context: { ...STRICT_VALIDATION_CONTEXT, ...context } }));
  CdkAnnotations.of(stack).acknowledgeWarning(NO_SUBSCRIBERS, 'tested with Monitoring');
  if (profile) {
    CompliancePolicy.setDefaultProfile(stack, profile);
  }
  return stack;
}

function reservationWarnings(stack: Stack) {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING));
}

describe('without the account\'s quota: one warning per stack names the total reserved', () => {
  test('REGULATED: two functions reserve 10 each', () => {
    const stack = stackWithout({}, ComplianceProfile.REGULATED);
    new SecureFunction(stack, 'A', HANDLER);
    new SecureFunction(stack, 'B', HANDLER);
    Template.fromStack(stack);
    const warnings = reservationWarnings(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/TestStack');
    const text = String(warnings[0].entry.data);
    expect(text).toContain('The functions of this stack reserve 20 concurrent executions in total (A/Function: 10, B/Function: 10)');
    expect(text).toContain('the deploy fails unless the quota is at least 120 plus what other stacks reserve');
    expect(text).toContain(`context ${QUOTA}`);
    expect(text).toContain(`context ${DEFAULT}`);
  });

  test('a function of yours in the stack counts too; a stack that reserves nothing says nothing', () => {
    const stack = stackWithout();
    new SecureFunction(stack, 'Reserved', { ...HANDLER, reservedConcurrentExecutions: 3 });
    new lambda.Function(stack, 'Mine', { ...HANDLER, runtime: lambda.Runtime.NODEJS_24_X, reservedConcurrentExecutions: 4 });
    Template.fromStack(stack);
    expect(String(reservationWarnings(stack)[0].entry.data)).toContain('reserve 7 concurrent executions in total (Reserved/Function: 3, Mine: 4)');

    const none = stackWithout();
    new SecureFunction(none, 'Fn', HANDLER);
    Template.fromStack(none);
    expect(reservationWarnings(none)).toEqual([]);
  });

  test('each stack has its own', () => {
    const app = new App();
    const a = testStack(app, 'A');
    const b = testStack(app, 'B');
    new SecureFunction(a, 'Fn', { ...HANDLER, reservedConcurrentExecutions: 2 });
    new SecureFunction(b, 'Fn', { ...HANDLER, reservedConcurrentExecutions: 5 });
    app.synth();
    expect(String(reservationWarnings(a)[0].entry.data)).toContain('reserve 2 concurrent');
    expect(String(reservationWarnings(b)[0].entry.data)).toContain('reserve 5 concurrent');
  });

  test('it is acknowledged once for the stack', () => {
    const stack = testStack(new App());
    CdkAnnotations.of(stack).acknowledgeWarning(WARNING, 'the quota is 1,000');
    new SecureFunction(stack, 'Fn', { ...HANDLER, reservedConcurrentExecutions: 2 });
    Template.fromStack(stack);
    expect(reservationWarnings(stack)).toEqual([]);
  });
});

describe('with the account\'s quota declared: checked at synthesis', () => {
  test.each([[1000], ['1000']])('a quota of %j that leaves 100 unreserved: no warning', (quota) => {
    const stack = stackWithout({ [QUOTA]: quota }, ComplianceProfile.REGULATED);
    new SecureFunction(stack, 'A', HANDLER);
    Template.fromStack(stack);
    expect(reservationWarnings(stack)).toEqual([]);
  });

  test('a quota too low fails synthesis, saying how much can be reserved', () => {
    const stack = stackWithout({ [QUOTA]: 110 }, ComplianceProfile.REGULATED);
    new SecureFunction(stack, 'A', HANDLER);
    new SecureFunction(stack, 'B', HANDLER);
    expect(() => Template.fromStack(stack)).toThrow("Stack 'TestStack': the functions of this stack reserve 20 concurrent executions "
      + `(A/Function: 10, B/Function: 10), but with the account's concurrency quota of 110 (context ${QUOTA}) Lambda lets at most 10 be reserved`);
  });

  test('a new account\'s quota of 10 refuses any reservation', () => {
    const stack = stackWithout({ [QUOTA]: 10 });
    new SecureFunction(stack, 'A', { ...HANDLER, reservedConcurrentExecutions: 1 });
    expect(() => Template.fromStack(stack)).toThrow('Lambda lets at most 0 be reserved');
  });

  test('the quota is the account\'s in a region: the app\'s stacks that deploy there add up, once; other regions do not', () => {
    const app = new App({ context: { ...STRICT_VALIDATION_CONTEXT, [QUOTA]: 150 } });
    const a = testStack(app, 'A');
    const b = testStack(app, 'B');
    const elsewhere = testStack(app, 'Elsewhere', { env: { account: '123456789012', region: 'us-east-1' } });
    new SecureFunction(a, 'Fn', { ...HANDLER, reservedConcurrentExecutions: 30 });
    new SecureFunction(b, 'Fn', { ...HANDLER, reservedConcurrentExecutions: 30 });
    new SecureFunction(elsewhere, 'Fn', { ...HANDLER, reservedConcurrentExecutions: 50 });
    expect(() => app.synth()).toThrow(new RegExp(escapeRegExp("Stack 'A': the functions of the 2 stacks of this app that deploy to "
      + '123456789012 eu-west-1 reserve 60 concurrent executions (Fn/Function: 30, B/Fn/Function: 30), but with the account\'s concurrency '
      + 'quota of 150') + '.*Lambda lets at most 50 be reserved'));
    expect(() => app.synth({ force: true })).not.toThrow(/Stack 'B'|Stack 'Elsewhere'/);
  });

  test('a stack whose reservations are all functions of yours counts towards the total; a library stack reports it', () => {
    const app = new App({ context: { ...STRICT_VALIDATION_CONTEXT, [QUOTA]: 150 } });
    const mine = testStack(app, 'Mine');
    new lambda.Function(mine, 'Own', { ...HANDLER, runtime: lambda.Runtime.NODEJS_24_X, reservedConcurrentExecutions: 40 });
    new SecureFunction(testStack(app, 'Library'), 'Fn', { ...HANDLER, reservedConcurrentExecutions: 20 });
    expect(() => app.synth()).toThrow(/Stack 'Library': the functions of the 2 stacks .* reserve 60 concurrent executions \(Mine\/Own: 40, Fn\/Function: 20\)/);
  });

  test('within the quota across stacks: no error', () => {
    const app = new App({ context: { ...STRICT_VALIDATION_CONTEXT, [QUOTA]: 160 } });
    new SecureFunction(testStack(app, 'A'), 'Fn', { ...HANDLER, reservedConcurrentExecutions: 30 });
    new SecureFunction(testStack(app, 'B'), 'Fn', { ...HANDLER, reservedConcurrentExecutions: 30 });
    expect(() => app.synth()).not.toThrow();
  });

  test.each([['0x3E8'], ['1e3'], [' '], [1000.5]])('a quota of %j is refused', (quota) => {
    const stack = stackWithout({ [QUOTA]: quota });
    new SecureFunction(stack, 'A', { ...HANDLER, reservedConcurrentExecutions: 1 });
    expect(() => Template.fromStack(stack)).toThrow(`context ${QUOTA} is `);
  });

  test('a quota that is not a number is refused', () => {
    const stack = stackWithout({ [QUOTA]: 'lots' });
    new SecureFunction(stack, 'A', { ...HANDLER, reservedConcurrentExecutions: 1 });
    expect(() => Template.fromStack(stack)).toThrow(`Stack 'TestStack': context ${QUOTA} is 'lots'; it must be the account's regional Lambda concurrency quota`);
  });
});

describe('REGULATED\'s default reservation can be changed for the app (context)', () => {
  test.each([[2, 2], ['3', 3], [0, undefined]])('%j reserves %j', (value, reserved) => {
    const stack = stackWithout({ [DEFAULT]: value }, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    expect(fn.reservedConcurrentExecutions).toBe(reserved);
    const template = Template.fromStack(stack);
    if (reserved === undefined) {
      template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent(), Handler: 'index.handler' });
      expect(reservationWarnings(stack)).toEqual([]);
    } else {
      expectProperties(template, fn.lambdaFunction, { ReservedConcurrentExecutions: reserved });
    }
  });

  test('a function\'s own reservedConcurrentExecutions still wins; STANDARD reserves nothing whatever the context', () => {
    const stack = stackWithout({ [DEFAULT]: 0 }, ComplianceProfile.REGULATED);
    expect(new SecureFunction(stack, 'Own', { ...HANDLER, reservedConcurrentExecutions: 5 }).reservedConcurrentExecutions).toBe(5);
    expect(new SecureFunction(stack, 'Standard', { ...HANDLER, complianceProfile: ComplianceProfile.STANDARD }).reservedConcurrentExecutions).toBeUndefined();
  });

  test('constructs that size an event source by the handler\'s reservation read the same default', () => {
    const stack = stackWithout({ [DEFAULT]: 0 }, ComplianceProfile.REGULATED);
    const owner = new SecureFunction(stack, 'Owner', HANDLER);
    const context = constructContext(owner, {});
    expect(handlerReservedConcurrency({ handlerProps: HANDLER }, context, 5)).toBeUndefined();
    const two = stackWithout({ [DEFAULT]: 2 }, ComplianceProfile.REGULATED);
    const owner2 = new SecureFunction(two, 'Owner', HANDLER);
    expect(handlerReservedConcurrency({ handlerProps: HANDLER }, constructContext(owner2, {}), 5)).toBe(5);
    expect(handlerReservedConcurrency({ handlerProps: { ...HANDLER, complianceProfile: ComplianceProfile.REGULATED } },
      constructContext(owner2, { complianceProfile: ComplianceProfile.STANDARD }))).toBe(2);
  });

  test.each([[-1], [1.5], ['ten']])('%j is refused', (value) => {
    const stack = stackWithout({ [DEFAULT]: value }, ComplianceProfile.REGULATED);
    expect(() => new SecureFunction(stack, 'Fn', HANDLER)).toThrow(
      `SecureFunction 'TestStack/Fn': context ${DEFAULT} is ${typeof value === 'string' ? `'${value}'` : value}; it must be a whole number from 0 (reserve none) to 100000`);
  });
});
