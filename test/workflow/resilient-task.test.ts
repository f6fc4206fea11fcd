import { Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ResilientTask, SecureFunction, TaskRetryOptions, Workflow } from '../../src';
import { INLINE_CODE, newStack } from '../support/app';
import { definitionOf } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

function invoke(stack: Stack, props: Partial<tasks.LambdaInvokeProps> = {}): tasks.LambdaInvoke {
  const fn = new SecureFunction(stack, 'Fn', HANDLER);
  return new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn.lambdaFunction, retryOnServiceExceptions: false, ...props });
}

/** The rendered task state, as Step Functions reads it. */
function rendered(stack: Stack, chain: sfn.IChainable, state = 'Invoke'): any {
  const wf = new Workflow(stack, 'Workflow', { definitionBody: sfn.DefinitionBody.fromChainable(chain) });
  return definitionOf(wf.stateMachine).States[state];
}

describe('ResilientTask.retry', () => {
  test('Lambda\'s service errors and throttling, and timeouts: 3 retries from 2 s, doubling, capped at 30 s, full jitter', () => {
    const stack = newStack();
    const task = ResilientTask.retry(invoke(stack));
    expect(rendered(stack, task).Retry).toEqual([{
      ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException',
        'Lambda.ClientExecutionTimeoutException', 'States.Timeout'],
      MaxAttempts: 3,
      IntervalSeconds: 2,
      BackoffRate: 2,
      MaxDelaySeconds: 30,
      JitterStrategy: 'FULL',
    }]);
  });

  test('every option', () => {
    const stack = newStack();
    const options: TaskRetryOptions = {
      maxAttempts: 6,
      interval: Duration.seconds(5),
      backoffRate: 1.5,
      maxDelay: Duration.minutes(2),
      jitter: false,
      retryTimeouts: false,
      errors: ['Payments.Declined'],
    };
    const task = ResilientTask.retry(invoke(stack), options);
    expect(rendered(stack, task).Retry).toEqual([{
      ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException',
        'Lambda.ClientExecutionTimeoutException', 'Payments.Declined'],
      MaxAttempts: 6,
      IntervalSeconds: 5,
      BackoffRate: 1.5,
      MaxDelaySeconds: 120,
      JitterStrategy: 'NONE',
    }]);
  });

  test('after the retriers the task already has (CDK\'s LambdaInvoke retries service errors by default): Step Functions tries them in order', () => {
    const stack = newStack();
    const task = ResilientTask.retry(invoke(stack, { retryOnServiceExceptions: true }));
    const retry = rendered(stack, task).Retry;
    expect(retry).toHaveLength(2);
    expect(retry[1].ErrorEquals).toContain('Lambda.TooManyRequestsException');
  });

  test.each<[string, TaskRetryOptions, string]>([
    ['negative attempts', { maxAttempts: -1 }, "LambdaInvoke 'TestStack/Invoke': ResilientTask.retry maxAttempts is -1; it must be an integer from 0 to 99999999"],
    ['fractional attempts', { maxAttempts: 1.5 }, 'ResilientTask.retry maxAttempts is 1.5'],
    ['a backoff rate below 1', { backoffRate: 0.5 }, 'ResilientTask.retry backoffRate is 0.5; it must be a number of 1 or more'],
    ['a backoff rate of NaN', { backoffRate: NaN }, 'ResilientTask.retry backoffRate is NaN'],
    ['an interval of 0', { interval: Duration.seconds(0) }, 'ResilientTask.retry interval is 0 seconds'],
    ['an interval in milliseconds', { interval: Duration.millis(1500) }, 'ResilientTask.retry interval is 1 second 500 millis; it must be a whole number of seconds'],
    ['a max delay below the interval', { interval: Duration.seconds(10), maxDelay: Duration.seconds(5) },
      'ResilientTask.retry maxDelay is 5 seconds; it must be at least the interval (10 seconds)'],
    ['an empty error name', { errors: [''] }, 'ResilientTask.retry errors is [""]; it must be a list of error names'],
    ['an unknown option', { maxAtempts: 2 } as any, 'ResilientTask.retry.maxAtempts is 2; TaskRetryOptions has no such property (did you mean maxAttempts?)'],
  ])('%s is refused', (_name, options, message) => {
    const stack = newStack();
    expect(() => ResilientTask.retry(invoke(stack), options)).toThrow(message);
  });

  test('a state that is not a task is refused', () => {
    const stack = newStack();
    expect(() => ResilientTask.retry(new sfn.Pass(stack, 'Pass') as any)).toThrow('ResilientTask.retry: task is');
  });
});

describe('ResilientTask.catchTo', () => {
  test('JSONPath: every error to the handler, with the input and the error under $.error', () => {
    const stack = newStack();
    const compensate = new sfn.Pass(stack, 'Refund');
    const task = ResilientTask.catchTo(invoke(stack), compensate);
    expect(rendered(stack, task).Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Refund' }]);
  });

  test('JSONata: the output keeps the input and adds the error', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    const task = tasks.LambdaInvoke.jsonata(stack, 'Invoke', { lambdaFunction: fn.lambdaFunction, retryOnServiceExceptions: false });
    ResilientTask.catchTo(task, sfn.Pass.jsonata(stack, 'Refund'), { errors: ['Payments.Declined'] });
    expect(rendered(stack, task).Catch).toEqual([{
      ErrorEquals: ['Payments.Declined'],
      Output: '{% $merge([$states.input, { "error": $states.errorOutput }]) %}',
      Next: 'Refund',
    }]);
  });

  test.each<[string, (stack: Stack, task: tasks.LambdaInvoke) => void, string]>([
    ['no handler', (_s, t) => ResilientTask.catchTo(t, undefined as any), 'ResilientTask.catchTo handler is undefined; it must be a state or chain'],
    ['no errors', (s, t) => ResilientTask.catchTo(t, new sfn.Pass(s, 'P'), { errors: [] }), 'ResilientTask.catchTo errors is []; it must be a list of error names (at least one)'],
    ['a result path that is not JSONPath', (s, t) => ResilientTask.catchTo(t, new sfn.Pass(s, 'P'), { resultPath: 'error' }),
      "ResilientTask.catchTo resultPath is 'error'; it must be a JSONPath starting with '$'"],
  ])('%s is refused', (_name, call, message) => {
    const stack = newStack();
    expect(() => call(stack, invoke(stack))).toThrow(message);
  });

  test('a result path on a JSONata task is refused', () => {
    const stack = newStack();
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    const task = tasks.LambdaInvoke.jsonata(stack, 'Invoke', { lambdaFunction: fn.lambdaFunction });
    expect(() => ResilientTask.catchTo(task, sfn.Pass.jsonata(stack, 'P'), { resultPath: '$.error' })).toThrow('a JSONata task has no resultPath');
  });

  test('the Saga shape in a few lines: retry, then compensate and fail', () => {
    const stack = newStack();
    const charge = ResilientTask.catchTo(ResilientTask.retry(invoke(stack)), new sfn.Pass(stack, 'Refund').next(new sfn.Fail(stack, 'Failed')));
    const state = rendered(stack, charge);
    expect(state.Retry).toHaveLength(1);
    expect(state.Catch[0].Next).toBe('Refund');
  });
});
