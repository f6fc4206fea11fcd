import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ComplianceProfile, QueueWorker } from '../../src';
import { INLINE_CODE, testApp, testStack } from '../support/app';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

function ownFunction(stack: ReturnType<typeof testStack>, props: Partial<lambda.FunctionProps> = {}) {
  return new lambda.Function(stack, 'Own', { runtime: lambda.Runtime.NODEJS_24_X, ...HANDLER, ...props });
}

/**
 * Event source mappings do not respect reserved concurrency: throttled batches go back to the queue
 * and count towards maxReceiveCount. So maxConcurrency follows the handler's reservation.
 */
describe('QueueWorker maxConcurrency follows the handler\'s reserved concurrency', () => {
  test.each([
    ['a created handler with a reservation', (s: any) => new QueueWorker(s, 'W', { handlerProps: { ...HANDLER, reservedConcurrentExecutions: 7 } }), 7],
    ['a brought handler with a reservation', (s: any) => new QueueWorker(s, 'W', { handler: ownFunction(s, { reservedConcurrentExecutions: 20 }) }), 20],
    ['a REGULATED handler (default reservation 10)', (s: any) => new QueueWorker(s, 'W', { complianceProfile: ComplianceProfile.REGULATED, handlerProps: HANDLER }), 10],
    ['a reservation above the event source maximum', (s: any) => new QueueWorker(s, 'W', { handlerProps: { ...HANDLER, reservedConcurrentExecutions: 1500 } }), 1000],
  ])('%s', (_name, build, expected) => {
    // An account whose concurrency quota admits 1,500 reserved.
    const stack = testStack(testApp({}, { context: { 'cdk-bulwark:lambdaConcurrencyQuota': 2000 } }));
    build(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: expected } });
  });

  test('no reservation, no cap', () => {
    const stack = testStack();
    new QueueWorker(stack, 'W', { handlerProps: HANDLER });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: Match.absent() });
  });

  test('an explicit maxConcurrency below the reservation wins', () => {
    const stack = testStack();
    new QueueWorker(stack, 'W', { maxConcurrency: 3, handlerProps: { ...HANDLER, reservedConcurrentExecutions: 7 } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 3 } });
  });

  test.each([
    ['a reservation of 1', (s: any) => new QueueWorker(s, 'W', { handlerProps: { ...HANDLER, reservedConcurrentExecutions: 1 } }),
      "QueueWorker 'TestStack/W': the handler's reserved concurrency is 1; an SQS event source needs at least 2"],
    ['a brought handler reserved at 0 (disabled)', (s: any) => new QueueWorker(s, 'W', { handler: ownFunction(s, { reservedConcurrentExecutions: 0 }) }),
      "QueueWorker 'TestStack/W': the handler's reserved concurrency is 0; an SQS event source needs at least 2 (a reservation of 0 disables the function)"],
  ])('%s is rejected', (_name, build, message) => {
    expect(() => build(testStack())).toThrow(message);
  });
});

describe('QueueWorker never guesses a handler timeout', () => {
  test('the timeout is read through an alias', () => {
    const stack = testStack();
    const fn = ownFunction(stack, { timeout: Duration.minutes(5) });
    new QueueWorker(stack, 'W', { handler: fn.addAlias('live') });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 1800, RedrivePolicy: Match.anyValue() });
  });

  test('an imported handler needs visibilityTimeout', () => {
    const stack = testStack();
    const imported = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:eu-west-1:123456789012:function:orders');
    expect(() => new QueueWorker(stack, 'W', { handler: imported }))
      .toThrow("QueueWorker 'TestStack/W': the timeout of the handler TestStack/Imported cannot be read (an imported function?); give visibilityTimeout");
  });

  test('an imported handler with visibilityTimeout gets exactly that', () => {
    const stack = testStack();
    const imported = lambda.Function.fromFunctionAttributes(stack, 'Imported', {
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders', sameEnvironment: true,
    });
    new QueueWorker(stack, 'W', { handler: imported, visibilityTimeout: Duration.minutes(20) });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 1200, RedrivePolicy: Match.anyValue() });
  });

  test('handler alarms have one place: alarms.handlerErrors / handlerThrottles', () => {
    expect(() => new QueueWorker(testStack(), 'W', { handlerProps: { ...HANDLER, alarms: { errors: { threshold: 3 } } } }))
      .toThrow("QueueWorker 'TestStack/W': handlerProps.alarms cannot be set; set the handler's alarms with alarms.handlerErrors and alarms.handlerThrottles");
  });
});
