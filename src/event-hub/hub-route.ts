import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { HubTarget } from '../core/hub-target';

/**
 * A route of an `EventHub`: an EventBridge rule that sends matching events to its targets.
 */
export interface HubRouteOptions {
  /**
   * Which events the route takes. At least one field; every field a non-empty list (or a
   * `events.Match` matcher); `detail` a nested object whose leaves are lists; at most 4,096
   * characters as JSON.
   */
  readonly eventPattern: events.EventPattern;

  /** Where matching events go: 1 to 5 targets (EventBridge's limit per rule). */
  readonly targets: HubTarget[];

  /**
   * A description of the rule (up to 512 characters).
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Whether the rule is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * A standard SQS queue of your own for this route's undeliverable events (EventBridge cannot use
   * FIFO queues). Its policy must let EventBridge send: a queue created in this app gets that
   * statement; its key, if any, must let `events.amazonaws.com` use it, and should not be the hub's
   * key (events that fail because that key is disabled come here).
   *
   * @default - the hub's dead-letter queue, or a queue of the route's own with `separateDeadLetterQueue`
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Give the route a dead-letter queue of its own (14 days, SQS-managed encryption like the hub's, alarmed)
   * instead of the hub's shared one: its alarm then names the route.
   *
   * @default false
   */
  readonly separateDeadLetterQueue?: boolean;

  /**
   * How often EventBridge retries a failed delivery (0 to 185). Event bus targets take no retry policy.
   *
   * @default - the hub's `retryAttempts` (185)
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge keeps retrying an event (1 minute to 24 hours). Event bus targets take no
   * retry policy.
   *
   * @default - the hub's `maxEventAge` (24 hours)
   */
  readonly maxEventAge?: Duration;
}

/** A route given in `EventHubProps.routes`. */
export interface HubRouteProps extends HubRouteOptions {
  /** The route's id, unique in the hub (its construct id under `Routes`: never change it). */
  readonly id: string;
}

/**
 * A recurring or one-off invocation of a target by EventBridge Scheduler.
 */
export interface HubScheduleOptions {
  /**
   * When to invoke: `ScheduleExpression.rate()`, `.cron()` (six fields), `.at()`, or a literal
   * `rate(5 minutes)`, `cron(0 8 * * ? *)` or `at(2030-01-01T00:00:00)` through `.expression()`.
   */
  readonly schedule: scheduler.ScheduleExpression;

  /** What to invoke. An event bus is not a schedule target (publish from a function instead). */
  readonly target: HubTarget;

  /**
   * The payload passed to the target.
   *
   * @default - none (Scheduler sends an empty JSON object)
   */
  readonly input?: scheduler.ScheduleTargetInput;

  /**
   * A description of the schedule (up to 512 characters).
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Whether the schedule is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * A window (1 to 1,440 minutes) within which Scheduler may invoke the target, to spread load.
   *
   * @default scheduler.TimeWindow.off() (exactly on time)
   */
  readonly timeWindow?: scheduler.TimeWindow;

  /**
   * A standard SQS queue of your own for this schedule's failed invocations (Scheduler cannot use
   * FIFO queues); the schedule's role gets permission to send to it (and to use its key, which should
   * not be the hub's key: invocations that fail because that key is disabled come here).
   *
   * @default - the hub's dead-letter queue
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * How often Scheduler retries a failed invocation (0 to 185).
   *
   * @default - the hub's `retryAttempts` (185)
   */
  readonly retryAttempts?: number;

  /**
   * How long Scheduler keeps retrying an invocation (1 minute to 24 hours).
   *
   * @default - the hub's `maxEventAge` (24 hours)
   */
  readonly maxEventAge?: Duration;
}

/** A schedule of an `EventHub`, returned by `addSchedule()`. */
export interface IHubSchedule extends IConstruct {
  /** The EventBridge Scheduler schedule. */
  readonly schedule: scheduler.ISchedule;

  /** The role Scheduler assumes to invoke the target and write dead letters. */
  readonly role: iam.IRole;

  /** Where the schedule's failed invocations go. */
  readonly deadLetterQueue: sqs.IQueue;
}
