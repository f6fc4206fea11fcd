import { Duration, Token } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BulwarkError } from '../core/errors';
import { checkKnownProps, propKeys } from '../private/props';
import { checkDuration, checkInteger } from '../private/validation';

/** Options of `ResilientTask.retry`. */
export interface TaskRetryOptions {
  /**
   * Retries after the first attempt (0 to 99,999,999).
   *
   * @default 3
   */
  readonly maxAttempts?: number;

  /**
   * The wait before the first retry, in whole seconds.
   *
   * @default Duration.seconds(2)
   */
  readonly interval?: Duration;

  /**
   * What each wait is multiplied by for the next one (1 or more).
   *
   * @default 2
   */
  readonly backoffRate?: number;

  /**
   * The longest any wait may grow to (at least `interval`).
   *
   * @default Duration.seconds(30)
   */
  readonly maxDelay?: Duration;

  /**
   * Whether each wait is a random time up to the computed one (full jitter), so that many executions
   * that failed together do not retry together.
   *
   * @default true
   */
  readonly jitter?: boolean;

  /**
   * Whether a task that timed out (`States.Timeout`: its `TimeoutSeconds` or `HeartbeatSeconds`) is
   * retried too. Turn it off for tasks that must not run twice.
   *
   * @default true
   */
  readonly retryTimeouts?: boolean;

  /**
   * More error names to retry as well (your own transient errors, an SDK integration's throttling
   * error such as `DynamoDb.ProvisionedThroughputExceededException`).
   *
   * @default - none
   */
  readonly errors?: string[];
}

/** Options of `ResilientTask.catchTo`. */
export interface TaskCatchOptions {
  /**
   * The errors to catch.
   *
   * @default - every error (`States.ALL`)
   */
  readonly errors?: string[];

  /**
   * JSONPath tasks: where the error goes in the handler's input.
   *
   * @default '$.error' (the task's input, with the error and its cause under `error`)
   */
  readonly resultPath?: string;
}

const RETRY_OPTIONS = propKeys<TaskRetryOptions>()('TaskRetryOptions', ['maxAttempts', 'interval', 'backoffRate', 'maxDelay', 'jitter',
  'retryTimeouts', 'errors']);
const CATCH_OPTIONS = propKeys<TaskCatchOptions>()('TaskCatchOptions', ['errors', 'resultPath']);

/**
 * Errors of the Lambda service, not of the function: worth retrying (Step Functions developer guide,
 * "Handling errors in Step Functions workflows", Lambda service exceptions; TooManyRequests is Lambda
 * throttling the invocation).
 */
export const LAMBDA_TRANSIENT_ERRORS: readonly string[] = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException', 'Lambda.ClientExecutionTimeoutException'];

/** How the helpers' options are named in messages (the task is the construct named). */
const R = 'ResilientTask.retry ';
const C = 'ResilientTask.catchTo ';

/** The service's bounds (Amazon States Language, Retry: MaxAttempts, IntervalSeconds, MaxDelaySeconds). */
const LIMITS = { maxAttempts: 99_999_999, maxSeconds: 99_999_999 };

/**
 * Retries and catches for task states, written once: a task gets retries with exponential backoff,
 * a cap and full jitter for Lambda's service errors and throttling and for timeouts, and a catch
 * that hands what still fails to a handler state (a compensation step, or a state that sends the
 * input to a failure queue), the common Saga shape.
 */
export class ResilientTask {
  /**
   * Adds a retrier to `task` for Lambda's service errors and throttling, `States.Timeout` (unless
   * `retryTimeouts` is false) and `errors`. Retriers are tried in order: one the task already has
   * for the same error (CDK's `LambdaInvoke` retries Lambda's service errors by default) applies first.
   *
   * @returns the task, to chain
   */
  public static retry(task: sfn.TaskStateBase, options: TaskRetryOptions = {}): sfn.TaskStateBase {
    options = options ?? {};
    const where = ResilientTask.checkTask(task, 'retry');
    checkKnownProps(where, options, RETRY_OPTIONS, R.trim());
    checkInteger(where, `${R}maxAttempts`, options.maxAttempts, 0, LIMITS.maxAttempts);
    const interval = options.interval ?? Duration.seconds(2);
    checkDuration(where, `${R}interval`, options.interval, Duration.seconds(1), Duration.seconds(LIMITS.maxSeconds));
    const backoffRate = options.backoffRate ?? 2;
    if (!Token.isUnresolved(backoffRate) && !(typeof backoffRate === 'number' && Number.isFinite(backoffRate) && backoffRate >= 1)) {
      throw BulwarkError.invalid(where, `${R}backoffRate`, backoffRate, 'it must be a number of 1 or more (1 waits the same each time)');
    }
    const maxDelay = options.maxDelay ?? Duration.seconds(30);
    checkDuration(where, `${R}maxDelay`, options.maxDelay, Duration.seconds(1), Duration.seconds(LIMITS.maxSeconds));
    if (!maxDelay.isUnresolved() && !interval.isUnresolved() && maxDelay.toSeconds({ integral: false }) < interval.toSeconds({ integral: false })) {
      throw BulwarkError.invalid(where, `${R}maxDelay`, maxDelay, `it must be at least the interval (${interval.toHumanString()})`);
    }
    const extra = options.errors ?? [];
    ResilientTask.checkErrors(where, `${R}errors`, extra, true);
    task.addRetry({
      errors: [...LAMBDA_TRANSIENT_ERRORS, ...(options.retryTimeouts ?? true ? [sfn.Errors.TIMEOUT] : []), ...extra],
      maxAttempts: options.maxAttempts ?? 3,
      interval,
      backoffRate,
      maxDelay,
      jitterStrategy: options.jitter ?? true ? sfn.JitterType.FULL : sfn.JitterType.NONE,
    });
    return task;
  }

  /**
   * Sends what `task` still fails with (after its retries) to `handler`: the task's input with the
   * error under `error` (JSONPath: `resultPath`; JSONata: the output is the input merged with
   * `{ "error": $states.errorOutput }`).
   *
   * @returns the task, to chain
   */
  public static catchTo(task: sfn.TaskStateBase, handler: sfn.IChainable, options: TaskCatchOptions = {}): sfn.TaskStateBase {
    options = options ?? {};
    const where = ResilientTask.checkTask(task, 'catchTo');
    checkKnownProps(where, options, CATCH_OPTIONS, C.trim());
    if (!handler || typeof (handler as sfn.IChainable).startState !== 'object') {
      throw BulwarkError.invalid(where, `${C}handler`, handler, 'it must be a state or chain (IChainable) to go to on error');
    }
    const errors = options.errors ?? [sfn.Errors.ALL];
    ResilientTask.checkErrors(where, `${C}errors`, errors, false);
    // The state's own query language (a state machine's JSONata default is not known here: make JSONata tasks with `.jsonata()`).
    const jsonata = (task.toStateJson() as { QueryLanguage?: string }).QueryLanguage === sfn.QueryLanguage.JSONATA;
    if (jsonata && options.resultPath !== undefined) {
      throw BulwarkError.invalid(where, `${C}resultPath`, options.resultPath, 'a JSONata task has no resultPath; its catch output keeps the input and the error');
    }
    const resultPath = options.resultPath ?? '$.error';
    if (!jsonata && !Token.isUnresolved(resultPath) && !/^\$(\.|\[|$)/.test(resultPath)) {
      throw BulwarkError.invalid(where, `${C}resultPath`, resultPath, "it must be a JSONPath starting with '$' (such as '$.error')");
    }
    task.addCatch(handler, jsonata
      ? { errors, outputs: '{% $merge([$states.input, { "error": $states.errorOutput }]) %}' }
      : { errors, resultPath });
    return task;
  }

  private static checkTask(task: unknown, method: string): sfn.TaskStateBase {
    if (!(task instanceof sfn.TaskStateBase)) {
      throw new Error(`ResilientTask.${method}: task is ${BulwarkError.show(task)}; it must be a task state (such as tasks.LambdaInvoke)`);
    }
    return task;
  }

  private static checkErrors(scope: sfn.TaskStateBase, prop: string, errors: unknown, mayBeEmpty: boolean): void {
    if (!Array.isArray(errors) || (!mayBeEmpty && errors.length === 0) || errors.some((e) => typeof e !== 'string' || e.trim() === '')) {
      throw BulwarkError.invalid(scope, prop, errors, `it must be a list of error names${mayBeEmpty ? '' : ' (at least one)'}`);
    }
  }

  private constructor() {}
}
